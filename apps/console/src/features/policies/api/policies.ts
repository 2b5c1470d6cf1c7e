import { queryOptions, useQuery } from '@tanstack/react-query';
import { getConsoleJson, sendConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import { type PolicyRef, refString } from '../model/ref';
import type { PolicyDetail, PolicyListResponse, PolicyWriteRequest, PolicyWriteResult } from '../types';

export interface ListFilter {
  kind: string | null;
  namespace: string | null;
}

function listUrl(filter: ListFilter): string {
  const q = new URLSearchParams();
  if (filter.kind) q.set('kind', filter.kind);
  if (filter.namespace) q.set('namespace', filter.namespace);
  const qs = q.toString();
  return qs ? `/api/policies?${qs}` : '/api/policies';
}

export function policyListQueryOptions(filter: ListFilter) {
  return queryOptions({
    queryKey: queryKeys.policyList(filter.kind, filter.namespace),
    queryFn: ({ signal }) => getConsoleJson<PolicyListResponse>(listUrl(filter), signal),
  });
}

export function usePolicyList(filter: ListFilter) {
  return useQuery(policyListQueryOptions(filter));
}

export function policyUrl(ref: PolicyRef): string {
  return `/api/policies/${encodeURIComponent(ref.kind)}/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;
}

export function policyQueryOptions(ref: PolicyRef) {
  return queryOptions({
    queryKey: queryKeys.policy(refString(ref)),
    queryFn: ({ signal }) => getConsoleJson<PolicyDetail>(policyUrl(ref), signal),
    // A missing object is an answer (the diff of a new object), not a failure to retry.
    retry: false,
  });
}

/** One stored object, fetched on demand (open, diff). */
export function fetchPolicy(ref: PolicyRef): Promise<PolicyDetail> {
  return getConsoleJson<PolicyDetail>(policyUrl(ref));
}

export function checkPolicy(request: PolicyWriteRequest): Promise<PolicyWriteResult> {
  return sendConsoleJson<PolicyWriteResult>('POST', '/api/policies/check', request);
}

export function applyPolicy(request: PolicyWriteRequest): Promise<PolicyWriteResult> {
  return sendConsoleJson<PolicyWriteResult>('POST', '/api/policies/apply', request);
}
