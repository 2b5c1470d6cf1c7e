/**
 * Weight arithmetic shared by the slider (browser) and the apply route (server). Weights are
 * integers 0–100 that sum to exactly 100, as Istio's v1 VirtualService expects (the control plane
 * only warns about other sums and normalises them, which would make the slider lie).
 */

export const TOTAL = 100;

function clamp(n: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.min(TOTAL, Math.max(0, Math.round(n)));
}

/**
 * Integer shares of `total` proportional to `parts`, by largest remainder, so they sum to `total`
 * exactly. All-zero parts share equally.
 */
export function apportion(parts: number[], total: number): number[] {
  if (parts.length === 0) return [];
  const sum = parts.reduce((a, b) => a + Math.max(0, b), 0);
  const exact = parts.map((p) => (sum === 0 ? total / parts.length : (Math.max(0, p) * total) / sum));
  const floors = exact.map(Math.floor);
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left--;
  }
  return floors;
}

/**
 * The weights after the user sets destination `changed` to `value`: that one takes the value
 * (clamped to 0–100), the others share the rest in proportion to what they had, so the sum stays
 * 100. With two destinations this is simply value / 100 - value.
 */
export function setWeight(weights: number[], changed: number, value: number): number[] {
  if (changed < 0 || changed >= weights.length) return weights;
  if (weights.length === 1) return [TOTAL];
  const v = clamp(value);
  const others = weights.filter((_, i) => i !== changed);
  const shared = apportion(others, TOTAL - v);
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < weights.length; i++) out.push(i === changed ? v : (shared[k++] ?? 0));
  return out;
}

export type SplitCheck = { ok: true } | { ok: false; problem: string };

/**
 * The console's own rule for a split it writes: whole numbers summing to 100. Whether each weight
 * is valid (not negative) is the control plane's to say: its 422 names the field path, and the
 * page shows that as it comes.
 */
export function checkSplit(weights: number[]): SplitCheck {
  if (weights.length < 2) return { ok: false, problem: 'a split needs at least two destinations' };
  for (const w of weights)
    if (!Number.isInteger(w)) return { ok: false, problem: `weight ${w} is not a whole number` };
  const sum = weights.reduce((a, b) => a + b, 0);
  return sum === TOTAL ? { ok: true } : { ok: false, problem: `weights sum to ${sum}, not 100` };
}
