import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { PoliciesPage } from '@/features/policies/components/policies-page';
import { prefetchPolicies } from '@/features/policies/server/prefetch-policies';

export const metadata: Metadata = { title: 'Policies' };
// Stored policies change under us: render per request.
export const dynamic = 'force-dynamic';

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : null);
  const queryClient = new QueryClient();
  await prefetchPolicies(queryClient, { kind: one(params.kind), namespace: one(params.namespace) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <PoliciesPage />
      </Suspense>
    </HydrationBoundary>
  );
}
