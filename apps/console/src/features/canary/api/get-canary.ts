import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { CanaryCandidates, CanaryView } from '../types';

/** Observed shares move as traffic flows; set weights change only by writes. */
export const CANARY_REFRESH_MS = 5_000;

export function canaryPath(namespace: string, service: string): string {
  return `/api/canary/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}`;
}

export function getCanary(namespace: string, service: string, signal?: AbortSignal): Promise<CanaryView> {
  return getConsoleJson<CanaryView>(canaryPath(namespace, service), signal);
}

export function canaryQueryOptions(namespace: string, service: string) {
  return queryOptions({
    queryKey: queryKeys.canary(namespace, service),
    queryFn: ({ signal }) => getCanary(namespace, service, signal),
    refetchInterval: CANARY_REFRESH_MS,
  });
}

export function useCanary(namespace: string, service: string) {
  return useQuery(canaryQueryOptions(namespace, service));
}

export function candidatesQueryOptions() {
  return queryOptions({
    // No service named: the list of services to pick from.
    queryKey: queryKeys.canary('', ''),
    queryFn: ({ signal }) => getConsoleJson<CanaryCandidates>('/api/canary', signal),
  });
}

export function useCandidates() {
  return useQuery(candidatesQueryOptions());
}
