import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { TraceDetailView } from '../types';

export function getTrace(traceId: string, signal?: AbortSignal): Promise<TraceDetailView> {
  return getConsoleJson<TraceDetailView>(`/api/traces/${encodeURIComponent(traceId)}`, signal);
}

/** Spans of a live trace may still arrive (1 s export batches), so it is fetched again after a while. */
export function traceQueryOptions(traceId: string) {
  return queryOptions({
    queryKey: queryKeys.trace(traceId.toLowerCase()),
    queryFn: ({ signal }) => getTrace(traceId, signal),
    staleTime: 15_000,
  });
}

export function useTrace(traceId: string) {
  return useQuery(traceQueryOptions(traceId));
}
