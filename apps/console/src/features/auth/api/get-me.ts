import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { MeResponse, Principal } from '../types';

export function getMe(signal?: AbortSignal): Promise<MeResponse> {
  return getConsoleJson<MeResponse>('/api/me', signal);
}

export function meQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.me(),
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 60_000,
  });
}

export function useMe() {
  return useQuery(meQueryOptions());
}

/**
 * Whether write controls are shown. Hidden until /api/me answers, so a viewer never sees a button
 * flash; the server checks the role on every write anyway (requireOperator).
 */
export function useCanWrite(): boolean {
  const me = useMe();
  return me.data?.principal?.role === 'operator';
}

export type { Principal };
