/**
 * Weighted destination pick (Envoy weighted_clusters): once per request, before retries, so every
 * try of a request goes to the same subset, as in Envoy.
 */
import type { Destination, ForwardAction } from '../config/compile';
import type { Layer } from './types';

export function pickDestination(a: ForwardAction, random: () => number = Math.random): Destination {
  const ds = a.destinations;
  if (ds.length === 1) return ds[0]!;
  let r = random() * a.totalWeight;
  for (const d of ds) {
    r -= d.weight;
    if (r < 0) return d;
  }
  return ds[ds.length - 1]!;
}

export const splitLayer: Layer = (next) => (call) => {
  const d = pickDestination(call.action!);
  call.destination = d;
  call.cluster = d.cluster;
  call.upstreamH2 = d.cluster.h2 || call.ex.protocol === 'h2';
  return next(call);
};
