/**
 * The canary page's draft: versions added to routes (at 0 %) and weights moved, kept in the browser
 * until Apply. Pure, so the panel stays a view and the arithmetic is tested.
 */
import type { ApplyWeightsRequest, SplitDestination, SplitRoute } from './types';

/** Route index → weights of its rows (existing destinations, then drafted ones). */
export type Weights = Record<number, number[]>;
/** Route index → subsets drafted onto it, in the order they were added. */
export type Added = Record<number, string[]>;

export function weightsOf(routes: SplitRoute[]): Weights {
  return Object.fromEntries(routes.map((r) => [r.index, r.destinations.map((d) => d.weight)]));
}

/** The rows of a route as drafted: its destinations, then each drafted subset at the weight it holds. */
export function draftedRows(route: SplitRoute, added: string[]): SplitDestination[] {
  const extra = added
    .map((s) => route.addableDestinations.find((d) => d.subset === s))
    .filter((d): d is SplitDestination => d !== undefined);
  return [...route.destinations, ...extra];
}

/** Subsets the Add select still offers. */
export function stillAddable(route: SplitRoute, added: string[]): string[] {
  return route.addableSubsets.filter((s) => !added.includes(s));
}

/** A drafted version starts at 0 %: adding it moves no traffic until the operator slides it. */
export function addVersion(
  route: SplitRoute,
  weights: Weights,
  added: Added,
  subset: string,
): { weights: Weights; added: Added } {
  const mine = added[route.index] ?? [];
  if (!stillAddable(route, mine).includes(subset)) return { weights, added };
  const current = weights[route.index] ?? route.destinations.map((d) => d.weight);
  return {
    weights: { ...weights, [route.index]: [...current, 0] },
    added: { ...added, [route.index]: [...mine, subset] },
  };
}

export function isDirty(routes: SplitRoute[], weights: Weights, added: Added): boolean {
  const base = weightsOf(routes);
  return routes.some(
    (r) =>
      (added[r.index] ?? []).length > 0 || JSON.stringify(weights[r.index]) !== JSON.stringify(base[r.index]),
  );
}

/**
 * The routes Apply sends: those with two or more rows once drafted. A single destination nothing
 * was added to has no split to write and is left as it is.
 */
export function changesOf(
  routes: SplitRoute[],
  weights: Weights,
  added: Added,
): ApplyWeightsRequest['routes'] {
  const out: ApplyWeightsRequest['routes'] = [];
  for (const r of routes) {
    const add = added[r.index] ?? [];
    if (r.destinations.length + add.length < 2) continue;
    const w = weights[r.index] ?? [];
    out.push(add.length > 0 ? { index: r.index, weights: w, add } : { index: r.index, weights: w });
  }
  return out;
}

/** The routes as stored after a successful Apply: drafted rows become destinations with the applied weights. */
export function appliedRoutes(
  routes: SplitRoute[],
  added: Added,
  applied: { index: number; weights: number[] }[],
): SplitRoute[] {
  const byIndex = new Map(applied.map((r) => [r.index, r.weights]));
  return routes.map((r) => {
    const add = added[r.index] ?? [];
    const rows = draftedRows(r, add);
    const w = byIndex.get(r.index);
    return {
      ...r,
      destinations: rows.map((d, i) => ({ ...d, weight: w?.[i] ?? d.weight })),
      addableSubsets: r.addableSubsets.filter((s) => !add.includes(s)),
      addableDestinations: r.addableDestinations.filter((d) => !add.includes(d.subset ?? '')),
    };
  });
}
