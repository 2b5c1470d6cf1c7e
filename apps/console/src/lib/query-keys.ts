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
  topology: (namespace: string | null, window: string) =>
    [...queryKeys.mesh(), 'topology', { namespace, window }] as const,
  traces: () => [...queryKeys.all, 'traces'] as const,
  traceSearch: (search: string) => [...queryKeys.traces(), 'search', search] as const,
  trace: (traceId: string) => [...queryKeys.traces(), 'trace', traceId] as const,
  traceServices: () => [...queryKeys.traces(), 'services'] as const,
  service: (namespace: string, name: string) => [...queryKeys.mesh(), 'service', namespace, name] as const,
  serviceMetrics: (namespace: string, name: string, range: string) =>
    [...queryKeys.service(namespace, name), 'metrics', { range }] as const,
  serviceConfig: (namespace: string, name: string) =>
    [...queryKeys.service(namespace, name), 'config'] as const,
  serviceEndpoints: (namespace: string, name: string) =>
    [...queryKeys.service(namespace, name), 'endpoints'] as const,
  policies: () => [...queryKeys.all, 'policies'] as const,
  policyList: (kind: string | null, namespace: string | null) =>
    [...queryKeys.policies(), 'list', { kind, namespace }] as const,
  /** ref: "Kind/namespace/name" */
  policy: (ref: string) => [...queryKeys.policies(), 'object', ref] as const,
  policyHistory: (filter: { kind: string | null; namespace: string | null; name: string | null }) =>
    [...queryKeys.policies(), 'history', filter] as const,
  me: () => [...queryKeys.all, 'me'] as const,
  canary: (namespace: string, service: string) =>
    [...queryKeys.all, 'canary', { namespace, service }] as const,
  security: (namespace: string) => [...queryKeys.all, 'security', { namespace }] as const,
};
