import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { ProxiesView } from '../types';

/** As the overview: a push settles within about 100 ms, so 5 s shows a stuck proxy soon enough. */
export const PROXIES_REFRESH_MS = 5_000;

export function getProxies(signal?: AbortSignal): Promise<ProxiesView> {
  return getConsoleJson<ProxiesView>('/api/proxies', signal);
}

export function proxiesQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.proxies(),
    queryFn: ({ signal }) => getProxies(signal),
    refetchInterval: PROXIES_REFRESH_MS,
    refetchIntervalInBackground: true,
  });
}

export function useProxies() {
  return useQuery(proxiesQueryOptions());
}
