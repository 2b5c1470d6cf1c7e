import 'server-only';
import { z } from 'zod';
import type { Principal } from '@/lib/auth';
import { type ControlPlaneResult, writeControlPlane } from '@/lib/control-plane';
import type { SetModeResponse } from '../types';
import { securityPaths } from './paths';
import { peerAuthenticationSchema } from './schemas';

export const setModeSchema = z.strictObject({
  mode: z.enum(['STRICT', 'PERMISSIVE']),
  resourceVersion: z.string().regex(/^\d+$/).nullable(),
  /** The namespace policy's name as loaded (default when there was none). */
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/)
    .default('default'),
});

/**
 * Writes the namespace-wide PeerAuthentication as the signed-in user. With the resourceVersion the
 * page loaded it is a merge patch carrying that version (a change made meanwhile answers 409 and
 * nothing is written); without one it is a create of `default` (409 AlreadyExists if someone made
 * one meanwhile). Only spec.mtls.mode changes: labels, portLevelMtls etc. stay.
 */
export async function setNamespaceMode(
  principal: Principal,
  namespace: string,
  input: z.infer<typeof setModeSchema>,
): Promise<ControlPlaneResult<SetModeResponse>> {
  const written =
    input.resourceVersion === null
      ? await writeControlPlane(
          'POST',
          securityPaths.peerAuthentications(namespace),
          {
            apiVersion: 'security.istio.io/v1',
            kind: 'PeerAuthentication',
            metadata: { name: 'default', namespace },
            spec: { mtls: { mode: input.mode } },
          },
          peerAuthenticationSchema,
          { actor: principal.user },
        )
      : await writeControlPlane(
          'PATCH',
          securityPaths.peerAuthentication(namespace, input.name),
          { metadata: { resourceVersion: input.resourceVersion }, spec: { mtls: { mode: input.mode } } },
          peerAuthenticationSchema,
          { actor: principal.user, contentType: 'application/merge-patch+json' },
        );
  if (!written.ok) return written;
  const o = written.data;
  return {
    ok: true,
    data: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      mode: o.spec.mtls?.mode ?? 'UNSET',
      resourceVersion: o.metadata.resourceVersion,
    },
  };
}
