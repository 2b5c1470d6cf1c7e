import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { ServiceEndpointsView } from '../types';
import { serviceApiPath } from './get-service-metrics';

/** As the overview: sync state changes within a push (about 100 ms), so poll it like the overview. */
export const SERVICE_ENDPOINTS_REFRESH_MS = 5_000;

export function getServiceEndpoints(
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<ServiceEndpointsView> {
  return getConsoleJson<ServiceEndpointsView>(serviceApiPath(namespace, name, 'endpoints'), signal);
}

export function serviceEndpointsQueryOptions(namespace: string, name: string) {
  return queryOptions({
    queryKey: queryKeys.serviceEndpoints(namespace, name),
    queryFn: ({ signal }) => getServiceEndpoints(namespace, name, signal),
    refetchInterval: SERVICE_ENDPOINTS_REFRESH_MS,
  });
}

export function useServiceEndpoints(namespace: string, name: string) {
  return useQuery(serviceEndpointsQueryOptions(namespace, name));
}
