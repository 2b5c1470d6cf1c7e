import { fqdn, type MeshService } from '../registry';
import { refOf } from '../resource';
import type { Destination, DestinationRuleResource, VirtualServiceResource } from '../resources';
import { asParsed } from '../resources';
import type { MeshSnapshot } from '../snapshot';
import type { AnalysisMessage } from '../validation-types';
import { fieldPath, type Path } from './causes';

/**
 * The codes analyze() emits, with istioctl's names where istioctl has the check and Kiali's
 * KIA codes where only Kiali has it (docs/validation.md lists them with examples).
 */
export const ANALYSIS_CODES = {
  /** istioctl ReferencedResourceNotFound: a destination host or host+subset nobody defines. */
  ReferencedResourceNotFound: 'IST0101',
  /** istioctl ConflictingMeshGatewayVirtualServiceHosts: two mesh VirtualServices for one host. */
  ConflictingMeshGatewayVirtualServiceHosts: 'IST0109',
  /** Kiali KIA0202: a DestinationRule whose host is not in the service registry. */
  DestinationRuleHostNotFound: 'KIA0202',
  /** Kiali KIA0203: a subset whose labels select no endpoint of its host. */
  SubsetWithoutEndpoints: 'KIA0203',
} as const;

/** Mesh-wide, non-blocking findings (istioctl analyze / Kiali validations), in a stable order. */
export function analyze(snapshot: MeshSnapshot): AnalysisMessage[] {
  const parsed = snapshot.resources.map(asParsed);
  const vss = parsed.filter((r): r is VirtualServiceResource => r.kind === 'VirtualService');
  const drs = parsed.filter((r): r is DestinationRuleResource => r.kind === 'DestinationRule');
  const services = new Map<string, MeshService>(snapshot.registry.services.map((s) => [s.hostname, s]));
  const out: AnalysisMessage[] = [];
  for (const vs of vss) checkDestinations(out, vs, drs, services);
  checkConflictingHosts(out, vss);
  for (const dr of drs) checkDestinationRuleHost(out, dr, snapshot, services);
  return out;
}

/** Every destination of a VirtualService with its field path. */
function destinationsOf(vs: VirtualServiceResource): { at: Path; d: Destination }[] {
  const out: { at: Path; d: Destination }[] = [];
  const spec = vs.spec;
  spec.http?.forEach((h, i) => {
    h.route?.forEach((r, j) => {
      if (r.destination) out.push({ at: ['spec', 'http', i, 'route', j, 'destination'], d: r.destination });
    });
    if (h.mirror) out.push({ at: ['spec', 'http', i, 'mirror'], d: h.mirror });
    h.mirrors?.forEach((m, j) => {
      if (m.destination) out.push({ at: ['spec', 'http', i, 'mirrors', j, 'destination'], d: m.destination });
    });
  });
  for (const kind of ['tcp', 'tls'] as const) {
    spec[kind]?.forEach((t, i) => {
      t.route?.forEach((r, j) => {
        if (r.destination) out.push({ at: ['spec', kind, i, 'route', j, 'destination'], d: r.destination });
      });
    });
  }
  return out;
}

function checkDestinations(
  out: AnalysisMessage[],
  vs: VirtualServiceResource,
  drs: DestinationRuleResource[],
  services: Map<string, MeshService>,
): void {
  const ns = vs.metadata.namespace;
  for (const { at, d } of destinationsOf(vs)) {
    if (!d.host || d.host.includes('*')) continue;
    const host = fqdn(d.host, ns);
    if (!services.has(host)) {
      out.push({
        code: ANALYSIS_CODES.ReferencedResourceNotFound,
        level: 'Error',
        resource: refOf(vs),
        field: fieldPath([...at, 'host']),
        message: `Referenced host not found: "${d.host}"`,
      });
    }
    if (d.subset === undefined) continue;
    const defined = drs.some(
      (dr) =>
        fqdn(dr.spec.host ?? '', dr.metadata.namespace) === host &&
        dr.spec.subsets?.some((s) => s.name === d.subset),
    );
    if (!defined) {
      out.push({
        code: ANALYSIS_CODES.ReferencedResourceNotFound,
        level: 'Error',
        resource: refOf(vs),
        field: fieldPath([...at, 'subset']),
        message: `Referenced host+subset in destinationrule not found: "${d.host}+${d.subset}"`,
      });
    }
  }
}

/** Only VirtualServices bound to the mesh (no gateways, or "mesh") compete for a host. */
function checkConflictingHosts(out: AnalysisMessage[], vss: VirtualServiceResource[]): void {
  const byHost = new Map<string, { vs: VirtualServiceResource; index: number }[]>();
  for (const vs of vss) {
    const gateways = vs.spec.gateways ?? [];
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    vs.spec.hosts?.forEach((h, index) => {
      const host = fqdn(h, vs.metadata.namespace);
      byHost.set(host, [...(byHost.get(host) ?? []), { vs, index }]);
    });
  }
  for (const [host, claims] of byHost) {
    if (claims.length < 2) continue;
    const names = claims.map((c) => `${c.vs.metadata.namespace}/${c.vs.metadata.name}`).join(',');
    for (const { vs, index } of claims) {
      out.push({
        code: ANALYSIS_CODES.ConflictingMeshGatewayVirtualServiceHosts,
        level: 'Error',
        resource: refOf(vs),
        field: fieldPath(['spec', 'hosts', index]),
        message: `The VirtualServices ${names} associated with mesh gateway define the same host ${host} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`,
      });
    }
  }
}

function checkDestinationRuleHost(
  out: AnalysisMessage[],
  dr: DestinationRuleResource,
  snapshot: MeshSnapshot,
  services: Map<string, MeshService>,
): void {
  const raw = dr.spec.host ?? '';
  if (raw === '' || raw.includes('*')) return;
  const service = services.get(fqdn(raw, dr.metadata.namespace));
  if (!service) {
    out.push({
      code: ANALYSIS_CODES.DestinationRuleHostNotFound,
      level: 'Warning',
      resource: refOf(dr),
      field: 'spec.host',
      message: `This host has no matching entry in the service registry: "${raw}"`,
    });
    return;
  }
  const endpoints = snapshot.registry.endpoints.filter(
    (e) =>
      (e.service === service.name || e.service === service.hostname) && e.namespace === service.namespace,
  );
  dr.spec.subsets?.forEach((subset, i) => {
    const labels = Object.entries(subset.labels ?? {});
    if (endpoints.some((e) => labels.every(([k, v]) => e.labels[k] === v))) return;
    out.push({
      code: ANALYSIS_CODES.SubsetWithoutEndpoints,
      level: 'Warning',
      resource: refOf(dr),
      field: fieldPath(['spec', 'subsets', i]),
      message: `This subset's labels are not found in any matching host: subset "${subset.name ?? ''}" selects no endpoint of ${service.hostname}`,
    });
  });
}
