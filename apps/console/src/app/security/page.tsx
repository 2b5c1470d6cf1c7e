import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { prefetchMe } from '@/features/auth/server/prefetch-me';
import { NAME_RE } from '@/features/canary/server/paths';
import { securityQueryOptions } from '@/features/security/api/get-security';
import { SecurityPage } from '@/features/security/components/security-page';
import { loadSecurity } from '@/features/security/server/load-security';

export const metadata: Metadata = { title: 'mTLS' };
export const dynamic = 'force-dynamic';

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const sp = await searchParams;
  const namespace = typeof sp.namespace === 'string' && sp.namespace ? sp.namespace : 'default';
  const queryClient = new QueryClient();
  await prefetchMe(queryClient);
  if (NAME_RE.test(namespace)) {
    const result = await loadSecurity(namespace);
    if (result.ok) queryClient.setQueryData(securityQueryOptions(namespace).queryKey, result.data);
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <SecurityPage />
      </Suspense>
    </HydrationBoundary>
  );
}
