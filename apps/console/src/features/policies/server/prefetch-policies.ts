import 'server-only';
import type { QueryClient } from '@tanstack/react-query';
import { policyListQueryOptions } from '../api/policies';
import { isPolicyKind } from '../model/ref';
import { loadPolicies } from './load-policies';

/** The list in the first HTML; a failure is left to the browser, which shows the error state. */
export async function prefetchPolicies(
  queryClient: QueryClient,
  filter: { kind: string | null; namespace: string | null },
): Promise<void> {
  const kind = isPolicyKind(filter.kind) ? filter.kind : null;
  const namespace = filter.namespace || null;
  await queryClient.prefetchQuery({
    ...policyListQueryOptions({ kind, namespace }),
    queryFn: async () => {
      const result = await loadPolicies({ kind, namespace });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
  });
}
