import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson, sendConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { HistoryResponse, RevertResponse } from '../types';

export interface HistoryFilter {
  kind: string | null;
  namespace: string | null;
  name: string | null;
}

export function historyQueryOptions(filter: HistoryFilter) {
  const q = new URLSearchParams({ limit: '50' });
  if (filter.kind) q.set('kind', filter.kind);
  if (filter.namespace) q.set('namespace', filter.namespace);
  if (filter.name) q.set('name', filter.name);
  return queryOptions({
    queryKey: queryKeys.policyHistory(filter),
    queryFn: ({ signal }) => getConsoleJson<HistoryResponse>(`/api/history?${q}`, signal),
  });
}

export function useHistory(filter: HistoryFilter) {
  return useQuery(historyQueryOptions(filter));
}

export function revertChange(resourceVersion: string, force: boolean): Promise<RevertResponse> {
  return sendConsoleJson<RevertResponse>(
    'POST',
    `/api/history/${encodeURIComponent(resourceVersion)}/revert`,
    { force },
  );
}
