import type { IstioMtlsMode, MtlsMode, PeerAuthenticationResource } from '@trellis/shared';
import { hasSelector, selects } from './labels';
import type { MeshIndex } from './mesh-index';

export interface EffectiveMtls {
  mode: MtlsMode;
  /** Port (as a string, the app's port) → mode; UNSET ports already resolved to `mode`. */
  portLevel: Record<string, MtlsMode>;
}

function modeOf(pa: PeerAuthenticationResource | undefined): IstioMtlsMode {
  return pa?.spec.mtls?.mode ?? 'UNSET';
}

/**
 * Istio's PeerAuthentication precedence for a workload: a policy selecting it in its namespace,
 * else the namespace-wide one, else the mesh-wide one in the root namespace; UNSET inherits from
 * the next level; the default is PERMISSIVE. When several policies tie, the oldest wins.
 * portLevelMtls is honoured only on workload-selecting policies, as in Istio.
 */
export function effectiveMtls(
  index: MeshIndex,
  namespace: string,
  labels: Record<string, string>,
): EffectiveMtls {
  const root = index.settings.rootNamespace;
  const pas = index.peerAuthentications;
  const mesh = pas.find((p) => p.metadata.namespace === root && !hasSelector(p.spec.selector));
  const nsWide = pas.find((p) => p.metadata.namespace === namespace && !hasSelector(p.spec.selector));
  const workload = pas.find(
    (p) =>
      p.metadata.namespace === namespace &&
      hasSelector(p.spec.selector) &&
      selects(p.spec.selector?.matchLabels, labels),
  );
  let mode: MtlsMode = 'PERMISSIVE';
  for (const level of [mesh, nsWide, workload]) {
    const m = modeOf(level);
    if (m !== 'UNSET') mode = m;
  }
  const portLevel: Record<string, MtlsMode> = {};
  for (const [port, setting] of Object.entries(workload?.spec.portLevelMtls ?? {})) {
    const m = setting.mode ?? 'UNSET';
    portLevel[port] = m === 'UNSET' ? mode : m;
  }
  return { mode, portLevel };
}

/** The mode that governs one port of a workload. */
export function modeForPort(mtls: EffectiveMtls, port: number | undefined): MtlsMode {
  if (port === undefined) return mtls.mode;
  return mtls.portLevel[String(port)] ?? mtls.mode;
}
