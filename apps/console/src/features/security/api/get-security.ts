import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getConsoleJson, sendConsoleJson } from '@/lib/http';
import { queryKeys } from '@/lib/query-keys';
import type { SecurityView, SetModeRequest, SetModeResponse } from '../types';

export const SECURITY_REFRESH_MS = 5_000;

export function securityPath(namespace: string): string {
  return `/api/security/${encodeURIComponent(namespace)}`;
}

export function securityQueryOptions(namespace: string) {
  return queryOptions({
    queryKey: queryKeys.security(namespace),
    queryFn: ({ signal }) => getConsoleJson<SecurityView>(securityPath(namespace), signal),
    refetchInterval: SECURITY_REFRESH_MS,
  });
}

export function useSecurity(namespace: string) {
  return useQuery(securityQueryOptions(namespace));
}

export function useSetMode(namespace: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SetModeRequest) =>
      sendConsoleJson<SetModeResponse>('PUT', securityPath(namespace), body),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.security(namespace) }),
  });
}
