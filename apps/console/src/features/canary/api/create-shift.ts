import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sendConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { CreateShiftRequest, CreateShiftResponse } from '../types';
import { canaryPath } from './get-canary';

export function createShift(namespace: string, service: string, body: CreateShiftRequest) {
  return sendConsoleJson<CreateShiftResponse>('POST', canaryPath(namespace, service), body);
}

/**
 * Created or refused, the page's data is stale (a created VirtualService, or one someone else
 * created meanwhile): refetch, which swaps the form for the editor once a VirtualService routes the
 * service. A 409 keeps its banner until then.
 */
export function useCreateShift(namespace: string, service: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateShiftRequest) => createShift(namespace, service, body),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.canary(namespace, service) }),
  });
}
