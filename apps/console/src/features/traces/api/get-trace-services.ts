import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { TraceServicesView } from '../types';

export function getTraceServices(signal?: AbortSignal): Promise<TraceServicesView> {
  return getConsoleJson<TraceServicesView>('/api/traces/services', signal);
}

export function traceServicesQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.traceServices(),
    queryFn: ({ signal }) => getTraceServices(signal),
    staleTime: 30_000,
  });
}

export function useTraceServices() {
  return useQuery(traceServicesQueryOptions());
}
