import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth';
import { type ControlPlaneResult, getControlPlane, writeControlPlane } from '@/lib/control-plane';
import { consoleError } from '@/lib/errors';
import type { ApplyWeightsResponse } from '../types';
import { checkSplit } from '../weights';
import { canaryPaths } from './paths';
import { type DestinationRuleObject, destinationRuleListSchema, virtualServiceSchema } from './schemas';
import { withWeights } from './split-view';

export const applyWeightsSchema = z.strictObject({
  virtualService: z.string().min(1).max(253),
  resourceVersion: z.string().regex(/^\d+$/, 'resourceVersion is the decimal string the page loaded'),
  routes: z
    .array(
      z.strictObject({
        index: z.number().int().min(0),
        weights: z.array(z.number()),
        // Subsets to append as new destinations (starting a canary); weights cover them after the existing ones.
        add: z.array(z.string().min(1).max(253)).max(20).optional(),
      }),
    )
    .min(1)
    .max(100),
});

/**
 * Writes new weights (and destinations added to start a canary) with PUT carrying the
 * resourceVersion the page loaded: if anyone changed the VirtualService since, the control plane
 * answers 409 and nothing is written (optimistic concurrency, as `kubectl replace`). The object is
 * read first to keep every other field; an added subset must be one the route's host's
 * DestinationRule defines and the route does not use yet. A split the console would not write
 * (weights not summing to 100, a subset it cannot add) is INVALID_CHANGE: 422 with field paths.
 */
export async function applyWeights(
  principal: Principal,
  namespace: string,
  input: z.infer<typeof applyWeightsSchema>,
): Promise<ControlPlaneResult<ApplyWeightsResponse>> {
  for (const r of input.routes) {
    const check = checkSplit(r.weights);
    if (!check.ok)
      return {
        ok: false,
        error: consoleError('INVALID_CHANGE', {
          detail: `spec.http[${r.index}]: ${check.problem}`,
          causes: [{ field: `spec.http[${r.index}].route`, message: check.problem }],
        }),
      };
  }
  const path = canaryPaths.virtualService(namespace, input.virtualService);
  const current = await getControlPlane(path, virtualServiceSchema);
  if (!current.ok) return current;
  // Which subsets may be added is the DestinationRules' to say; read only when something is added.
  let rules: DestinationRuleObject[] = [];
  if (input.routes.some((r) => (r.add ?? []).length > 0)) {
    const list = await getControlPlane(canaryPaths.allDestinationRules, destinationRuleListSchema);
    if (!list.ok) return list;
    rules = list.data.items;
  }
  const edit = withWeights(current.data, input.resourceVersion, input.routes, rules);
  if (!edit.ok)
    return {
      ok: false,
      error:
        edit.reason === 'conflict'
          ? consoleError('CONTROL_PLANE_CONFLICT', { path, status: 409, detail: edit.problem })
          : consoleError('INVALID_CHANGE', {
              detail: edit.causes.map((c) => c.message).join('; '),
              causes: edit.causes,
            }),
    };
  const written = await writeControlPlane('PUT', path, edit.object, virtualServiceSchema, {
    actor: principal.user,
  });
  if (!written.ok) return written;
  return {
    ok: true,
    data: {
      virtualService: written.data.metadata.name,
      resourceVersion: written.data.metadata.resourceVersion,
      routes: input.routes.map((r) => ({
        index: r.index,
        weights: (written.data.spec.http?.[r.index]?.route ?? []).map((d) => d.weight ?? 0),
      })),
    },
  };
}
