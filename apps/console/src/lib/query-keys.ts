/**
 * The one query-key factory: every key in the console comes from here, so invalidation after a
 * write (later: policies, canary weights) can target a whole family by its prefix.
 */
export const queryKeys = {
  all: ['trellis'] as const,
  mesh: () => [...queryKeys.all, 'mesh'] as const,
  overview: () => [...queryKeys.mesh(), 'overview'] as const,
  graph: (windowSeconds: number) => [...queryKeys.mesh(), 'graph', { windowSeconds }] as const,
  proxies: () => [...queryKeys.mesh(), 'proxies'] as const,
  traces: () => [...queryKeys.all, 'traces'] as const,
  policies: () => [...queryKeys.all, 'policies'] as const,
};
