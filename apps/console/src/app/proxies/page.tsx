import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { ProxiesPage } from '@/features/proxies/components/proxies-page';
import { prefetchProxies } from '@/features/proxies/server/prefetch-proxies';

export const metadata: Metadata = { title: 'Proxies' };
// Live mesh state: render per request, never at build time.
export const dynamic = 'force-dynamic';

export default async function Page() {
  const queryClient = new QueryClient();
  await prefetchProxies(queryClient);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <ProxiesPage />
      </Suspense>
    </HydrationBoundary>
  );
}
