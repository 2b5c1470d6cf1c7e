import type { ModeSource, MtlsMode, PlaintextClient, PolicyRef } from '../types';
import type { PeerAuthenticationObject, SecurityGraph } from './schemas';

function hasSelector(pa: PeerAuthenticationObject): boolean {
  return Object.keys(pa.spec.selector?.matchLabels ?? {}).length > 0;
}

function refOf(pa: PeerAuthenticationObject): PolicyRef {
  return {
    name: pa.metadata.name,
    namespace: pa.metadata.namespace,
    resourceVersion: pa.metadata.resourceVersion,
    mode: pa.spec.mtls?.mode ?? 'UNSET',
  };
}

/**
 * The policy without a selector in `namespace`: Istio expects one, conventionally named `default`;
 * when there are several, `default` is preferred, then the oldest (as Istio resolves ties).
 */
export function namespaceWide(
  pas: PeerAuthenticationObject[],
  namespace: string,
): PeerAuthenticationObject | null {
  const wide = pas.filter((p) => p.metadata.namespace === namespace && !hasSelector(p));
  const named = wide.find((p) => p.metadata.name === 'default');
  if (named) return named;
  return (
    [...wide].sort((a, b) =>
      (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
    )[0] ?? null
  );
}

function modeOf(pa: PeerAuthenticationObject | null): MtlsMode | null {
  const m = pa?.spec.mtls?.mode;
  return m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : null;
}

/**
 * The namespace's effective mode as Istio resolves it for a workload no workload policy selects:
 * the namespace-wide policy, else the mesh-wide one in the root namespace, else PERMISSIVE;
 * UNSET inherits from the next level.
 */
export function effectiveMode(
  namespacePolicy: PeerAuthenticationObject | null,
  meshPolicy: PeerAuthenticationObject | null,
): { mode: MtlsMode; source: ModeSource } {
  const ns = modeOf(namespacePolicy);
  if (ns) return { mode: ns, source: 'namespace' };
  const mesh = modeOf(meshPolicy);
  if (mesh) return { mode: mesh, source: 'mesh' };
  return { mode: 'PERMISSIVE', source: 'default' };
}

export function policyRefs(pas: PeerAuthenticationObject[], namespace: string, root: string) {
  const nsPolicy = namespaceWide(pas, namespace);
  const meshPolicy = namespace === root ? nsPolicy : namespaceWide(pas, root);
  return {
    nsPolicy,
    meshPolicy,
    refs: {
      namespacePolicy: nsPolicy ? refOf(nsPolicy) : null,
      meshPolicy: meshPolicy ? refOf(meshPolicy) : null,
      workloadPolicies: pas
        .filter((p) => p.metadata.namespace === namespace && hasSelector(p))
        .map(refOf)
        .sort((a, b) => a.name.localeCompare(b.name)),
    },
  };
}

/**
 * Who would break under STRICT: every edge into a workload of `namespace` that carried requests
 * without mTLS over the window (mtlsShare < 1), or whose security the proxies did not report. A
 * source outside the mesh ("unknown") cannot do mTLS at all. Worst first.
 */
export function plaintextClients(graph: SecurityGraph, namespace: string): PlaintextClient[] {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const out: PlaintextClient[] = [];
  for (const e of graph.edges) {
    const target = nodes.get(e.target);
    if (target?.kind !== 'workload' || target.namespace !== namespace || e.rps <= 0) continue;
    if (e.mtlsShare !== null && e.mtlsShare >= 1) continue;
    const source = nodes.get(e.source);
    const meshed = source?.kind === 'workload' ? source : null;
    out.push({
      sourceId: e.source,
      source: meshed ? `${meshed.namespace}/${meshed.workload ?? meshed.id}` : 'unknown',
      unmeshed: meshed === null,
      target: target.workload ?? target.id,
      destinationService: e.destinationService,
      rps: e.rps,
      plaintextShare: e.mtlsShare === null ? null : 1 - e.mtlsShare,
    });
  }
  const plainRps = (c: PlaintextClient) => c.rps * (c.plaintextShare ?? 1);
  return out.sort((a, b) => plainRps(b) - plainRps(a) || a.source.localeCompare(b.source));
}
