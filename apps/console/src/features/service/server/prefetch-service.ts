import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { serviceConfigQueryOptions } from '../api/get-service-config';
import { serviceEndpointsQueryOptions } from '../api/get-service-endpoints';
import { serviceMetricsQueryOptions } from '../api/get-service-metrics';
import type { ServiceRange } from '../range';
import { type Loaded, loadServiceConfig, loadServiceEndpoints, loadServiceMetrics } from './load-service';

function unwrap<T>(result: Loaded<T>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

/**
 * The first HTML already has the charts' data, the config and the endpoints. A failure is left
 * out of the cache; the browser then fetches and shows that section's error state itself.
 */
export async function prefetchService(
  queryClient: QueryClient,
  namespace: string,
  name: string,
  range: ServiceRange,
): Promise<void> {
  await Promise.all([
    queryClient.prefetchQuery({
      ...serviceMetricsQueryOptions(namespace, name, range),
      queryFn: async () => unwrap(await loadServiceMetrics(namespace, name, range)),
    }),
    queryClient.prefetchQuery({
      ...serviceConfigQueryOptions(namespace, name),
      queryFn: async () => unwrap(await loadServiceConfig(namespace, name)),
    }),
    queryClient.prefetchQuery({
      ...serviceEndpointsQueryOptions(namespace, name),
      queryFn: async () => unwrap(await loadServiceEndpoints(namespace, name)),
    }),
  ]);
}
