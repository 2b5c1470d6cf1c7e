import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth';
import { type ControlPlaneResult, getControlPlane, writeControlPlane } from '@/lib/control-plane';
import { type ConsoleErrorBody, consoleError } from '@/lib/errors';
import type { CreateShiftResponse } from '../types';
import { canaryPaths } from './paths';
import { destinationRuleListSchema, destinationRuleSchema, virtualServiceSchema } from './schemas';
import { planTrafficShift } from './traffic-shift';

export const createShiftSchema = z.strictObject({
  versions: z.array(z.string().min(1).max(63)).min(1).max(20),
  weights: z.array(z.number()).min(1).max(20),
});

/** The rollback's outcome, said in the error the page shows (the VirtualService's). */
function withRollbackNote(error: ConsoleErrorBody, note: string): ConsoleErrorBody {
  return { ...error, detail: error.detail ? `${error.detail}. ${note}` : note };
}

/**
 * "Create traffic shifting": the DestinationRule SERVICE (unless one for the host already has a
 * subset per version) and then the VirtualService SERVICE, both with POST so that an object that
 * exists already answers 409 and nothing is overwritten. When the DestinationRule was created here
 * and the VirtualService is refused, the rule is deleted again (at the resourceVersion it was
 * created with, so a rule someone changed meanwhile is left alone) and the answer says so.
 */
export async function createShift(
  principal: Principal,
  namespace: string,
  service: string,
  input: z.infer<typeof createShiftSchema>,
): Promise<ControlPlaneResult<CreateShiftResponse>> {
  const rules = await getControlPlane(canaryPaths.allDestinationRules, destinationRuleListSchema);
  if (!rules.ok) return rules;
  const plan = planTrafficShift({ namespace, service, ...input, rules: rules.data.items });
  if (!plan.ok)
    return {
      ok: false,
      error: consoleError('INVALID_CHANGE', {
        detail: plan.causes.map((c) => c.message).join('; '),
        causes: plan.causes,
      }),
    };
  const actor = { actor: principal.user };

  let created: { namespace: string; name: string; resourceVersion: string } | null = null;
  if (plan.destinationRule) {
    const dr = await writeControlPlane(
      'POST',
      canaryPaths.destinationRules(namespace),
      plan.destinationRule,
      destinationRuleSchema,
      actor,
    );
    if (!dr.ok) return dr;
    created = {
      namespace: dr.data.metadata.namespace,
      name: dr.data.metadata.name,
      resourceVersion: dr.data.metadata.resourceVersion,
    };
  }

  const vs = await writeControlPlane(
    'POST',
    canaryPaths.virtualServices(namespace),
    plan.virtualService,
    virtualServiceSchema,
    actor,
  );
  if (!vs.ok) {
    if (!created) return vs;
    const undo = await writeControlPlane(
      'DELETE',
      canaryPaths.destinationRule(created.namespace, created.name),
      {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        preconditions: { resourceVersion: created.resourceVersion },
      },
      z.unknown(),
      actor,
    );
    const note = undo.ok
      ? `The DestinationRule ${created.namespace}/${created.name} created for it was deleted again: nothing is left.`
      : `The DestinationRule ${created.namespace}/${created.name} created for it could not be deleted again (${undo.error.code}${undo.error.detail ? `: ${undo.error.detail}` : ''}): delete it by hand.`;
    return { ok: false, error: withRollbackNote(vs.error, note) };
  }

  const rule = created ?? plan.existingRule;
  return {
    ok: true,
    data: {
      virtualService: vs.data.metadata.name,
      resourceVersion: vs.data.metadata.resourceVersion,
      destinationRule: {
        namespace: rule?.namespace ?? namespace,
        name: rule?.name ?? service,
        created: created !== null,
      },
      weights: (vs.data.spec.http?.[0]?.route ?? []).map((d) => d.weight ?? 0),
    },
  };
}
