import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { TracesPage } from '@/features/traces/components/traces-page';
import { parseTraceSearch } from '@/features/traces/search-params';
import { prefetchTraceSearch } from '@/features/traces/server/prefetch-traces';

export const metadata: Metadata = { title: 'Traces' };
export const dynamic = 'force-dynamic';

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const queryClient = new QueryClient();
  await prefetchTraceSearch(queryClient, parseTraceSearch(await searchParams));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <TracesPage />
      </Suspense>
    </HydrationBoundary>
  );
}
