import 'server-only';
import type { MeshKind } from '@trellis/shared/kinds';
import { getControlPlane } from '@/lib/control-plane';
import { type ConsoleErrorBody, consoleError } from '@/lib/errors';
import { toEditableYaml } from '../model/editable';
import { POLICY_KINDS, type PolicyRef } from '../model/ref';
import { summarize } from '../model/summary';
import type { PolicyDetail, PolicyListResponse, PolicySummary } from '../types';
import { itemPath, listPath } from './paths';
import { meshResourceSchema, resourceListSchema } from './schemas';

export type Loaded<T> = { ok: true; data: T } | { ok: false; error: ConsoleErrorBody };

export interface PolicyFilter {
  kind: MeshKind | null;
  namespace: string | null;
}

/** Every kind asked for, read in parallel; the list is useful as long as one kind answered. */
export async function loadPolicies(filter: PolicyFilter): Promise<Loaded<PolicyListResponse>> {
  const kinds = filter.kind ? [filter.kind] : POLICY_KINDS;
  const results = await Promise.all(
    kinds.map(async (kind) => ({
      kind,
      result: await getControlPlane(listPath(kind, filter.namespace), resourceListSchema),
    })),
  );
  const items: PolicySummary[] = [];
  const failures: PolicyListResponse['failures'] = [];
  for (const { kind, result } of results) {
    if (!result.ok) {
      failures.push({ kind, error: result.error });
      continue;
    }
    for (const r of result.data.items)
      items.push({
        kind: r.kind,
        namespace: r.metadata.namespace,
        name: r.metadata.name,
        resourceVersion: r.metadata.resourceVersion ?? '',
        generation: r.metadata.generation ?? null,
        created: r.metadata.creationTimestamp ?? null,
        summary: summarize(r.kind, r.spec),
      });
  }
  if (failures.length === kinds.length && failures[0]) return { ok: false, error: failures[0].error };
  const namespaces = [...new Set(['default', ...items.map((i) => i.namespace)])].sort();
  items.sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) ||
      POLICY_KINDS.indexOf(a.kind) - POLICY_KINDS.indexOf(b.kind) ||
      a.name.localeCompare(b.name),
  );
  return { ok: true, data: { items, namespaces, failures } };
}

export async function loadPolicy(ref: PolicyRef): Promise<Loaded<PolicyDetail>> {
  const path = itemPath(ref);
  const result = await getControlPlane(path, meshResourceSchema);
  if (!result.ok) {
    // On an object's URL a 404 means the object, not the API, is missing.
    if (result.error.code === 'CONTROL_PLANE_NOT_FOUND')
      return {
        ok: false,
        error: consoleError('CONTROL_PLANE_NOT_FOUND', {
          path,
          status: 404,
          detail: `${ref.kind} ${ref.namespace}/${ref.name} does not exist (deleted, or not created yet).`,
        }),
      };
    return result;
  }
  return {
    ok: true,
    data: {
      ref,
      resourceVersion: result.data.metadata.resourceVersion ?? '',
      yaml: toEditableYaml(result.data),
    },
  };
}
