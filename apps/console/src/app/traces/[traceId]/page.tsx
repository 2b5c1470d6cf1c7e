import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { TracePage } from '@/features/traces/components/trace-page';
import { prefetchTrace } from '@/features/traces/server/prefetch-traces';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ traceId: string }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { traceId } = await params;
  return { title: `Trace ${traceId.slice(0, 12)}` };
}

export default async function Page({ params }: Props) {
  const { traceId } = await params;
  const queryClient = new QueryClient();
  await prefetchTrace(queryClient, traceId);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <TracePage traceId={traceId} />
      </Suspense>
    </HydrationBoundary>
  );
}
