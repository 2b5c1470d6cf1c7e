import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { overviewQueryOptions } from '../api/get-overview';
import { loadOverview } from './load-overview';

/**
 * Fills the server's query cache so the first HTML already has the table. The server calls the
 * loader directly (not its own HTTP route); a failure is left out of the cache, and the browser
 * then fetches and shows the error state itself.
 */
export async function prefetchOverview(queryClient: QueryClient): Promise<void> {
  await queryClient.prefetchQuery({
    ...overviewQueryOptions(),
    queryFn: async () => {
      const result = await loadOverview();
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
  });
}
