import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { TopologyResponse } from '../types';

/** How often the graph refreshes its live numbers, in milliseconds. */
export const TOPOLOGY_REFRESH_MS = 5_000;

/** As the URL has them: the console route validates, so a bad ?window= shows its error. */
export interface TopologyQuery {
  namespace: string | null;
  window: string;
}

export function topologyPath({ namespace, window }: TopologyQuery): string {
  const qs = new URLSearchParams({ window });
  if (namespace) qs.set('namespace', namespace);
  return `/api/topology?${qs}`;
}

export function getTopology(q: TopologyQuery, signal?: AbortSignal): Promise<TopologyResponse> {
  return getConsoleJson<TopologyResponse>(topologyPath(q), signal);
}

export function topologyQueryOptions(q: TopologyQuery) {
  return queryOptions({
    queryKey: queryKeys.topology(q.namespace, q.window),
    queryFn: ({ signal }) => getTopology(q, signal),
    refetchInterval: TOPOLOGY_REFRESH_MS,
    refetchIntervalInBackground: true,
    // Switching namespace or window keeps the old graph on screen until the new one arrives,
    // instead of blanking the canvas.
    placeholderData: keepPreviousData,
  });
}

export function useTopology(q: TopologyQuery) {
  return useQuery(topologyQueryOptions(q));
}
