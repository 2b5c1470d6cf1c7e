import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { ServiceConfigView } from '../types';
import { serviceApiPath } from './get-service-metrics';

export function getServiceConfig(
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<ServiceConfigView> {
  return getConsoleJson<ServiceConfigView>(serviceApiPath(namespace, name, 'config'), signal);
}

export function serviceConfigQueryOptions(namespace: string, name: string) {
  return queryOptions({
    queryKey: queryKeys.serviceConfig(namespace, name),
    queryFn: ({ signal }) => getServiceConfig(namespace, name, signal),
    // Config changes rarely and writes invalidate the service's keys; a slow poll catches kubectl.
    refetchInterval: 30_000,
  });
}

export function useServiceConfig(namespace: string, name: string) {
  return useQuery(serviceConfigQueryOptions(namespace, name));
}
