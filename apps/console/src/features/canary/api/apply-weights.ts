import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sendConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { ApplyWeightsRequest, ApplyWeightsResponse } from '../types';
import { canaryPath } from './get-canary';

export function applyWeights(namespace: string, service: string, body: ApplyWeightsRequest) {
  return sendConsoleJson<ApplyWeightsResponse>('PUT', canaryPath(namespace, service), body);
}

/** After a write (or a conflict) the page's data is stale either way: refetch it. */
export function useApplyWeights(namespace: string, service: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ApplyWeightsRequest) => applyWeights(namespace, service, body),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.canary(namespace, service) }),
  });
}
