import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { type TopologyQuery, topologyQueryOptions } from '../api/get-topology';
import { loadTopology } from './load-topology';
import type { TopologyParams } from './params';

/**
 * Fills the server's query cache so the first HTML already knows the graph (the canvas itself
 * draws in the browser). A failure is left out of the cache; the browser then fetches and shows
 * the error state itself.
 */
export async function prefetchTopology(
  queryClient: QueryClient,
  query: TopologyQuery,
  params: TopologyParams,
): Promise<void> {
  await queryClient.prefetchQuery({
    ...topologyQueryOptions(query),
    queryFn: async () => {
      const result = await loadTopology(params);
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
  });
}
