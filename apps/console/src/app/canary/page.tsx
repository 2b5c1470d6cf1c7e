import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { prefetchMe } from '@/features/auth/server/prefetch-me';
import { canaryQueryOptions } from '@/features/canary/api/get-canary';
import { CanaryPage } from '@/features/canary/components/canary-page';
import { loadCanary } from '@/features/canary/server/load-canary';
import { NAME_RE } from '@/features/canary/server/paths';

export const metadata: Metadata = { title: 'Canary' };
export const dynamic = 'force-dynamic';

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const sp = await searchParams;
  const namespace = typeof sp.namespace === 'string' ? sp.namespace : null;
  const service = typeof sp.service === 'string' ? sp.service : null;
  const queryClient = new QueryClient();
  await prefetchMe(queryClient);
  if (namespace && service && NAME_RE.test(namespace) && NAME_RE.test(service)) {
    const result = await loadCanary(namespace, service);
    // A failure is left to the browser, which shows the error state with its code.
    if (result.ok) queryClient.setQueryData(canaryQueryOptions(namespace, service).queryKey, result.data);
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <CanaryPage />
      </Suspense>
    </HydrationBoundary>
  );
}
