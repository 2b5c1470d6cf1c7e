import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/states';
import { ServicePage } from '@/features/service/components/service-page';
import { parseServiceRange } from '@/features/service/range';
import { prefetchService } from '@/features/service/server/prefetch-service';

export const dynamic = 'force-dynamic';

interface Props {
  params: Promise<{ namespace: string; service: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** Params arrive percent-encoded in some Next versions; a stray "%" must not turn into a 500. */
function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { namespace, service } = await params;
  return { title: `${decode(service)}.${decode(namespace)}` };
}

export default async function Page({ params, searchParams }: Props) {
  const { namespace: ns, service: svc } = await params;
  const namespace = decode(ns);
  const service = decode(svc);
  const rawRange = (await searchParams).range;
  const range = parseServiceRange(typeof rawRange === 'string' ? rawRange : null);
  const queryClient = new QueryClient();
  await prefetchService(queryClient, namespace, service, range);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <ServicePage namespace={namespace} name={service} />
      </Suspense>
    </HydrationBoundary>
  );
}
