import 'server-only';
import { consoleError } from '@/lib/errors';
import { toEditableYaml } from '../model/editable';
import { parsePolicyYaml } from '../model/parse-yaml';
import type { PolicyWriteRequest, PolicyWriteResult } from '../types';
import { callControlPlane } from './call-control-plane';
import type { Loaded } from './load-policies';
import { collectionPath, itemPath } from './paths';
import { meshResourceSchema } from './schemas';

/**
 * Check (dryRun=All) or apply the editor's text. With a base resourceVersion it is an update that
 * the control plane refuses with 409 when the object changed since; without one, a create (409
 * AlreadyExists when the name is taken: the studio never overwrites what it did not open).
 */
export async function writePolicy(
  request: PolicyWriteRequest,
  opts: { dryRun: boolean; actor?: string },
): Promise<Loaded<PolicyWriteResult>> {
  const parsed = parsePolicyYaml(request.yaml);
  if (!parsed.ok)
    return {
      ok: false,
      error: consoleError('INVALID_REQUEST', {
        detail: 'The YAML cannot be read as one mesh object.',
        causes: parsed.problems.map((p) => ({
          field: p.field ?? (p.line === null ? '' : `line ${p.line}`),
          message: p.line === null ? p.message : `line ${p.line}: ${p.message}`,
        })),
      }),
    };
  const { object, ref } = parsed;
  const apiVersion = String(object.apiVersion);
  const meta: Record<string, unknown> = {
    ...(object.metadata as Record<string, unknown>),
    namespace: ref.namespace,
  };
  const base =
    typeof meta.resourceVersion === 'string' && meta.resourceVersion !== ''
      ? meta.resourceVersion
      : (request.resourceVersion ?? null);
  const search = opts.dryRun ? { dryRun: 'All' } : undefined;
  const common = { ...(opts.actor ? { actor: opts.actor } : {}), ...(search ? { search } : {}) };
  const result = base
    ? await callControlPlane(
        'PUT',
        itemPath(ref, apiVersion),
        { ...object, metadata: { ...meta, resourceVersion: base } },
        meshResourceSchema,
        common,
      )
    : await callControlPlane(
        'POST',
        collectionPath(ref.kind, ref.namespace, apiVersion),
        { ...object, metadata: meta },
        meshResourceSchema,
        common,
      );
  if (!result.ok) {
    // An update of an object deleted meanwhile is a conflict for the user, not a missing API.
    if (base && result.error.code === 'CONTROL_PLANE_NOT_FOUND')
      return {
        ok: false,
        error: consoleError('CONTROL_PLANE_CONFLICT', {
          ...result.error,
          detail: `${ref.kind} ${ref.namespace}/${ref.name} was deleted after you opened it.`,
        }),
      };
    return result;
  }
  return {
    ok: true,
    data: {
      action: base ? 'update' : 'create',
      dryRun: opts.dryRun,
      ref,
      resourceVersion: result.data.metadata.resourceVersion ?? null,
      yaml: toEditableYaml(result.data),
      warnings: result.warnings,
    },
  };
}
