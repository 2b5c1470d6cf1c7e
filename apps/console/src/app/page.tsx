import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { OverviewPage } from '@/features/overview/components/overview-page';
import { prefetchOverview } from '@/features/overview/server/prefetch-overview';

export const metadata: Metadata = { title: 'Overview' };
// Live mesh state: render per request, never at build time.
export const dynamic = 'force-dynamic';

export default async function Page() {
  const queryClient = new QueryClient();
  await prefetchOverview(queryClient);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <OverviewPage />
      </Suspense>
    </HydrationBoundary>
  );
}
