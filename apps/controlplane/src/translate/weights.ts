/**
 * Turns route weights into integer percentages summing to exactly 100, keeping proportions (the
 * largest-remainder method), as Envoy's weighted clusters divide by the total weight. Zero
 * weights are dropped when another destination has weight, as Istio does; a route whose
 * weights are all zero splits evenly.
 */
export function normaliseWeights(weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  if (weights.length === 1) return [100];
  const positive = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0));
  const total = positive.reduce((a, b) => a + b, 0);
  const basis = total > 0 ? positive : weights.map(() => 1);
  const sum = total > 0 ? total : weights.length;
  const exact = basis.map((w) => (w * 100) / sum);
  const floors = exact.map(Math.floor);
  let rest = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .filter(({ i }) => basis[i]! > 0)
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    floors[i]! += 1;
    rest -= 1;
  }
  return floors;
}
