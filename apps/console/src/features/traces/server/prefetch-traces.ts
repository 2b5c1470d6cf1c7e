import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { traceQueryOptions } from '../api/get-trace';
import { traceServicesQueryOptions } from '../api/get-trace-services';
import { traceSearchQueryOptions } from '../api/search-traces';
import type { TraceSearch } from '../search-params';
import { type Loaded, loadTrace, loadTraceSearch, loadTraceServices } from './load-traces';

function unwrap<T>(result: Loaded<T>): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.data;
}

/** Failures stay out of the cache: the browser fetches again and shows the error state itself. */
export async function prefetchTraceSearch(queryClient: QueryClient, search: TraceSearch): Promise<void> {
  await Promise.all([
    queryClient.prefetchQuery({
      ...traceSearchQueryOptions(search),
      queryFn: async () => unwrap(await loadTraceSearch(search)),
    }),
    queryClient.prefetchQuery({
      ...traceServicesQueryOptions(),
      queryFn: async () => unwrap(await loadTraceServices()),
    }),
  ]);
}

export async function prefetchTrace(queryClient: QueryClient, traceId: string): Promise<void> {
  await queryClient.prefetchQuery({
    ...traceQueryOptions(traceId),
    queryFn: async () => unwrap(await loadTrace(traceId)),
  });
}
