import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import { type TraceSearch, traceSearchQueryString } from '../search-params';
import type { TraceSearchView } from '../types';

export function searchTraces(search: TraceSearch, signal?: AbortSignal): Promise<TraceSearchView> {
  const qs = traceSearchQueryString(search);
  return getConsoleJson<TraceSearchView>(qs ? `/api/traces?${qs}` : '/api/traces', signal);
}

/** Results do not poll: a list that reorders under the pointer is hard to click. "Search" refetches. */
export function traceSearchQueryOptions(search: TraceSearch) {
  return queryOptions({
    queryKey: queryKeys.traceSearch(traceSearchQueryString(search)),
    queryFn: ({ signal }) => searchTraces(search, signal),
    staleTime: 10_000,
  });
}

export function useTraceSearch(search: TraceSearch) {
  return useQuery({ ...traceSearchQueryOptions(search), placeholderData: keepPreviousData });
}
