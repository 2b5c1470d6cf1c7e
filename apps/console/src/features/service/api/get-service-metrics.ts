import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { ServiceRange } from '../range';
import type { ServiceMetricsView } from '../types';

/** The shortest step is 15 s; refreshing faster would redraw the same points. */
export const SERVICE_METRICS_REFRESH_MS = 15_000;

export function serviceApiPath(
  namespace: string,
  name: string,
  part: 'metrics' | 'config' | 'endpoints',
): string {
  return `/api/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${part}`;
}

export function getServiceMetrics(
  namespace: string,
  name: string,
  range: ServiceRange,
  signal?: AbortSignal,
): Promise<ServiceMetricsView> {
  return getConsoleJson<ServiceMetricsView>(
    `${serviceApiPath(namespace, name, 'metrics')}?range=${range}`,
    signal,
  );
}

export function serviceMetricsQueryOptions(namespace: string, name: string, range: ServiceRange) {
  return queryOptions({
    queryKey: queryKeys.serviceMetrics(namespace, name, range),
    queryFn: ({ signal }) => getServiceMetrics(namespace, name, range, signal),
    refetchInterval: SERVICE_METRICS_REFRESH_MS,
  });
}

/**
 * Switching the range keeps the old charts on screen until the new range has loaded; switching
 * to another service does not (its charts would be shown under the new name).
 */
export function useServiceMetrics(namespace: string, name: string, range: ServiceRange) {
  return useQuery({
    ...serviceMetricsQueryOptions(namespace, name, range),
    placeholderData: (previous) =>
      previous?.service.namespace === namespace && previous.service.name === name ? previous : undefined,
  });
}
