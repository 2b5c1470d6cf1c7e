import 'server-only';
import { ROOT_NAMESPACE } from '@trellis/shared/kinds';
import { TELEMETRY_PATHS } from '@trellis/shared/telemetry-api';
import { type ControlPlaneResult, getControlPlane } from '@/lib/control-plane';
import type { SecurityView } from '../types';
import { effectiveMode, plaintextClients, policyRefs } from './mtls';
import { securityPaths } from './paths';
import { peerAuthenticationListSchema, securityGraphSchema } from './schemas';

export const SECURITY_WINDOW_SECONDS = 60;

/** The namespace's effective mTLS mode and who still sends it plaintext (the STRICT preview). */
export async function loadSecurity(namespace: string): Promise<ControlPlaneResult<SecurityView>> {
  const [pas, graph] = await Promise.all([
    // All namespaces: the mesh-wide policy lives in the root namespace.
    getControlPlane(securityPaths.allPeerAuthentications, peerAuthenticationListSchema),
    getControlPlane(TELEMETRY_PATHS.graph, securityGraphSchema, {
      search: { window: `${SECURITY_WINDOW_SECONDS}s`, namespace },
    }),
  ]);
  if (!pas.ok) return pas;
  const { nsPolicy, meshPolicy, refs } = policyRefs(pas.data.items, namespace, ROOT_NAMESPACE);
  return {
    ok: true,
    data: {
      namespace,
      rootNamespace: ROOT_NAMESPACE,
      effective: effectiveMode(nsPolicy, meshPolicy),
      ...refs,
      windowSeconds: graph.ok ? graph.data.window.windowSeconds : SECURITY_WINDOW_SECONDS,
      telemetryError: graph.ok ? null : `${graph.error.code}: ${graph.error.detail ?? graph.error.message}`,
      plaintextClients: graph.ok ? plaintextClients(graph.data, namespace) : [],
      generatedAtMs: Date.now(),
    },
  };
}
