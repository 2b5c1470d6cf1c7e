import { fqdn } from '@trellis/shared/registry';
import { stringify } from 'yaml';
import type { ConfigObject } from '../types';
import type { MeshObjectWire } from './schemas';

/**
 * Does a host as written in `namespace` name the service `serviceFqdn`? Short names resolve in
 * the object's own namespace, as Istio resolves them; a wildcard ("*", "*.default.svc.cluster.local")
 * names every service under it.
 */
export function hostNamesService(host: string, namespace: string, serviceFqdn: string): boolean {
  const full = fqdn(host, namespace);
  if (full === '*') return true;
  if (full.startsWith('*')) return serviceFqdn.endsWith(full.slice(1));
  return full === serviceFqdn;
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

const record = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** Where a DestinationRule turns on outlier detection: its traffic policy and each subset's. */
function outlierSettings(spec: Record<string, unknown>): ConfigObject['outlierDetection'] {
  const out: ConfigObject['outlierDetection'] = [];
  const od = record(record(spec.trafficPolicy)?.outlierDetection);
  if (od) out.push({ scope: 'trafficPolicy', settings: od });
  for (const subset of Array.isArray(spec.subsets) ? spec.subsets : []) {
    const s = record(subset);
    const sod = record(record(s?.trafficPolicy)?.outlierDetection);
    if (s && sod) out.push({ scope: `subset ${String(s.name ?? '?')}`, settings: sod });
  }
  return out;
}

/**
 * The object as a reader wants it: kind, metadata a person set (and generation, which says how
 * often spec changed), spec. Server bookkeeping (uid, resourceVersion, managedFields) is noise here.
 */
export function toYaml(obj: MeshObjectWire): string {
  const { name, namespace, generation, creationTimestamp, labels, annotations } = obj.metadata;
  const metadata: Record<string, unknown> = { name, namespace };
  if (labels !== undefined) metadata.labels = labels;
  if (annotations !== undefined) metadata.annotations = annotations;
  if (generation !== undefined) metadata.generation = generation;
  if (creationTimestamp !== undefined) metadata.creationTimestamp = creationTimestamp;
  return stringify(
    { apiVersion: obj.apiVersion, kind: obj.kind, metadata, spec: obj.spec },
    { lineWidth: 0 },
  );
}

/**
 * The VirtualServices (by `hosts`) or DestinationRules (by `host`) that name the service, oldest
 * first (the order Istio applies conflicting VirtualServices in), then by namespace and name.
 */
export function configFor(
  kind: ConfigObject['kind'],
  items: MeshObjectWire[],
  serviceFqdn: string,
): ConfigObject[] {
  const out: ConfigObject[] = [];
  for (const obj of items) {
    const hosts = kind === 'VirtualService' ? strings(obj.spec.hosts) : strings(obj.spec.host);
    const matched = hosts.filter((h) => hostNamesService(h, obj.metadata.namespace, serviceFqdn));
    if (matched.length === 0) continue;
    out.push({
      kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      matchedHosts: matched,
      generation: obj.metadata.generation ?? null,
      creationTimestamp: obj.metadata.creationTimestamp ?? null,
      yaml: toYaml(obj),
      outlierDetection: kind === 'DestinationRule' ? outlierSettings(obj.spec) : [],
    });
  }
  return out.sort(
    (a, b) =>
      (a.creationTimestamp ?? '').localeCompare(b.creationTimestamp ?? '') ||
      a.namespace.localeCompare(b.namespace) ||
      a.name.localeCompare(b.name),
  );
}
