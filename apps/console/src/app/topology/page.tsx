import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { TopologyPage } from '@/features/topology/components/topology-page';
import { DEFAULT_WINDOW, parseTopologyParams } from '@/features/topology/server/params';
import { prefetchTopology } from '@/features/topology/server/prefetch-topology';

export const metadata: Metadata = { title: 'Topology' };
// Live mesh state: render per request, never at build time.
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const raw = await searchParams;
  const search = new URLSearchParams();
  for (const key of ['namespace', 'window']) {
    const v = raw[key];
    if (typeof v === 'string') search.set(key, v);
  }
  // The same key the browser computes from the URL (topology-page.tsx), so it hydrates.
  const query = {
    namespace: search.get('namespace') || null,
    window: search.get('window') || DEFAULT_WINDOW,
  };
  const queryClient = new QueryClient();
  const parsed = parseTopologyParams(search);
  // A bad parameter is left to the browser's fetch, which shows the route's error.
  if (parsed.ok) await prefetchTopology(queryClient, query, parsed.params);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <TopologyPage />
      </Suspense>
    </HydrationBoundary>
  );
}
