import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { proxiesQueryOptions } from '../api/get-proxies';
import { loadProxies } from './load-proxies';

/**
 * The first HTML already has the table. A failure is left out of the cache; the browser then
 * fetches and shows the error state itself (as the overview does).
 */
export async function prefetchProxies(queryClient: QueryClient): Promise<void> {
  await queryClient.prefetchQuery({
    ...proxiesQueryOptions(),
    queryFn: async () => {
      const result = await loadProxies();
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
  });
}
