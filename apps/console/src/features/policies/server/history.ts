import 'server-only';
import { HISTORY_PATHS } from '@trellis/shared/history-api';
import type { MeshKind } from '@trellis/shared/kinds';
import { getControlPlane } from '@/lib/control-plane';
import { toEditableYaml } from '../model/editable';
import type { HistoryResponse, RevertResponse } from '../types';
import { callControlPlane } from './call-control-plane';
import type { Loaded } from './load-policies';
import { historyListSchema, revertResultSchema } from './schemas';

export interface HistoryFilter {
  kind: MeshKind | null;
  namespace: string | null;
  name: string | null;
  limit: number;
}

export async function loadHistory(filter: HistoryFilter): Promise<Loaded<HistoryResponse>> {
  const search: Record<string, string> = { limit: String(filter.limit) };
  if (filter.kind) search.kind = filter.kind;
  if (filter.namespace) search.namespace = filter.namespace;
  if (filter.name) search.name = filter.name;
  const result = await getControlPlane(HISTORY_PATHS.list, historyListSchema, { search });
  if (!result.ok) return result;
  return {
    ok: true,
    data: {
      items: result.data.items.map((c) => ({
        resourceVersion: c.resourceVersion,
        time: c.time,
        actor: c.actor,
        verb: c.verb,
        ref: { kind: c.kind, namespace: c.namespace, name: c.name },
        beforeYaml: c.before ? toEditableYaml(c.before) : null,
        afterYaml: c.after ? toEditableYaml(c.after) : null,
      })),
    },
  };
}

/** Revert one change as `actor` (the signed-in operator, recorded in the history). */
export async function revertChange(
  resourceVersion: string,
  opts: { force: boolean; actor: string },
): Promise<Loaded<RevertResponse>> {
  const result = await callControlPlane(
    'POST',
    HISTORY_PATHS.revert(resourceVersion),
    { force: opts.force },
    revertResultSchema,
    { actor: opts.actor },
  );
  if (!result.ok) return result;
  const r = result.data;
  return {
    ok: true,
    data: {
      reverted: r.reverted,
      action: r.action,
      changed: r.changed,
      ref: { kind: r.object.kind, namespace: r.object.metadata.namespace, name: r.object.metadata.name },
      resourceVersion: r.resourceVersion,
      yaml: r.action === 'delete' ? null : toEditableYaml(r.object),
      warnings: r.warnings,
    },
  };
}
