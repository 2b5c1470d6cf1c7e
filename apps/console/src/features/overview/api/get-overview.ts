import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { OverviewResponse } from '../types';

/** How often the overview refreshes its live numbers, in milliseconds. */
export const OVERVIEW_REFRESH_MS = 5_000;

export function getOverview(signal?: AbortSignal): Promise<OverviewResponse> {
  return getConsoleJson<OverviewResponse>('/api/overview', signal);
}

export function overviewQueryOptions() {
  return queryOptions({
    queryKey: queryKeys.overview(),
    queryFn: ({ signal }) => getOverview(signal),
    refetchInterval: OVERVIEW_REFRESH_MS,
    // Keep polling in a background tab: the overview is often left open on a second screen.
    refetchIntervalInBackground: true,
  });
}

export function useOverview() {
  return useQuery(overviewQueryOptions());
}
