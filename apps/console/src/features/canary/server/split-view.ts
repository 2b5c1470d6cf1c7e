import type { CanaryCandidate, CanaryVirtualService, SplitDestination, SplitRoute } from '../types';
import type { CanaryGraph, DestinationRuleObject, HttpRoute, VirtualServiceObject } from './schemas';

const DOMAIN = 'svc.cluster.local';

/**
 * The FQDN a VirtualService or DestinationRule host names, read as Istio does: a short name is
 * relative to the object's namespace ("reviews" in default → reviews.default.svc.cluster.local).
 */
export function fqdnOf(host: string, objectNamespace: string): string {
  const parts = host.split('.');
  if (host.endsWith(`.${DOMAIN}`)) return host;
  if (parts.length === 1) return `${host}.${objectNamespace}.${DOMAIN}`;
  if (parts.length === 2) return `${host}.${DOMAIN}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

export function serviceFqdn(namespace: string, service: string): string {
  return `${service}.${namespace}.${DOMAIN}`;
}

/** Routes with two or more destinations: the ones a slider can move traffic between. */
function isSplit(route: HttpRoute): boolean {
  return (route.route?.length ?? 0) >= 2;
}

/** Does this VirtualService route traffic for the service (by its hosts, or a destination's)? */
export function routesService(vs: VirtualServiceObject, fqdn: string): boolean {
  const ns = vs.metadata.namespace;
  if ((vs.spec.hosts ?? []).some((h) => fqdnOf(h, ns) === fqdn)) return true;
  return (vs.spec.http ?? []).some((r) =>
    (r.route ?? []).some((d) => d.destination?.host && fqdnOf(d.destination.host, ns) === fqdn),
  );
}

export function matchSummary(route: HttpRoute): string | null {
  const parts: string[] = [];
  for (const m of route.match ?? []) {
    const one: string[] = [];
    if (m.uri) one.push(`uri ${describe(m.uri)}`);
    for (const [h, v] of Object.entries(m.headers ?? {})) one.push(`header ${h} ${describe(v)}`);
    if (m.port !== undefined) one.push(`port ${m.port}`);
    for (const [k, v] of Object.entries(m.sourceLabels ?? {})) one.push(`from ${k}=${v}`);
    parts.push(one.length > 0 ? one.join(' and ') : 'any');
  }
  return parts.length > 0 ? parts.join(' or ') : null;
}

function describe(m: { exact?: string; prefix?: string; regex?: string }): string {
  if (m.exact !== undefined) return `= ${m.exact}`;
  if (m.prefix !== undefined) return `prefix ${m.prefix}`;
  if (m.regex !== undefined) return `~ ${m.regex}`;
  return 'matches';
}

/** subset name → version label, from the DestinationRule for that host (else the subset's own name). */
function versionOf(subset: string | null, fqdn: string, rules: DestinationRuleObject[]): string | null {
  if (subset === null) return null;
  for (const dr of rules) {
    if (!dr.spec.host || fqdnOf(dr.spec.host, dr.metadata.namespace) !== fqdn) continue;
    const s = dr.spec.subsets?.find((x) => x.name === subset);
    if (s) return s.labels?.version ?? subset;
  }
  return subset;
}

/**
 * Requests per second into the workloads of `fqdn` with version `version`, over the graph's
 * window: the sum of edges addressed to the service and ending at such a workload.
 */
export function observedRps(graph: CanaryGraph, fqdn: string, version: string | null): number {
  const app = fqdn.split('.')[0];
  const ns = fqdn.split('.')[1];
  const targets = new Set(
    graph.nodes
      .filter(
        (n) =>
          n.kind === 'workload' &&
          n.namespace === ns &&
          ((n.services ?? []).includes(fqdn) || n.app === app) &&
          (version === null || n.version === version),
      )
      .map((n) => n.id),
  );
  let rps = 0;
  for (const e of graph.edges) if (targets.has(e.target) && e.destinationService === fqdn) rps += e.rps;
  return rps;
}

function destinationsOf(
  route: HttpRoute,
  vsNamespace: string,
  rules: DestinationRuleObject[],
  graph: CanaryGraph | null,
): SplitDestination[] {
  const list = route.route ?? [];
  const rows = list.map((d) => {
    const host = d.destination?.host ?? '';
    const fqdn = fqdnOf(host, vsNamespace);
    const subset = d.destination?.subset ?? null;
    const version = versionOf(subset, fqdn, rules);
    return {
      host,
      subset,
      version,
      // Istio: with several destinations a missing weight is 0.
      weight: d.weight ?? (list.length === 1 ? 100 : 0),
      observedRps: graph ? observedRps(graph, fqdn, version) : null,
      observedShare: null as number | null,
    };
  });
  const total = rows.reduce((a, r) => a + (r.observedRps ?? 0), 0);
  if (graph && total > 0) for (const r of rows) r.observedShare = (r.observedRps ?? 0) / total;
  return rows;
}

/** The page's view of one VirtualService: only its split routes, in spec order. */
export function splitViewOf(
  vs: VirtualServiceObject,
  rules: DestinationRuleObject[],
  graph: CanaryGraph | null,
): CanaryVirtualService {
  const routes: SplitRoute[] = [];
  (vs.spec.http ?? []).forEach((r, index) => {
    if (!isSplit(r)) return;
    routes.push({
      index,
      name: r.name ?? null,
      match: matchSummary(r),
      destinations: destinationsOf(r, vs.metadata.namespace, rules, graph),
    });
  });
  return {
    name: vs.metadata.name,
    namespace: vs.metadata.namespace,
    resourceVersion: vs.metadata.resourceVersion,
    hosts: vs.spec.hosts ?? [],
    routes,
  };
}

/** Every (namespace, service) that some VirtualService splits, for the page without ?service=. */
export function candidatesOf(all: VirtualServiceObject[]): CanaryCandidate[] {
  const out: CanaryCandidate[] = [];
  for (const vs of all) {
    const splits = (vs.spec.http ?? []).filter(isSplit).length;
    if (splits === 0) continue;
    const hosts = new Set((vs.spec.hosts ?? []).map((h) => fqdnOf(h, vs.metadata.namespace)));
    for (const h of hosts) {
      if (!h.endsWith(`.${DOMAIN}`)) continue;
      const [service = h, namespace = vs.metadata.namespace] = h.split('.');
      out.push({ namespace, service, virtualService: vs.metadata.name, splitRoutes: splits });
    }
  }
  return out.sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) ||
      a.service.localeCompare(b.service) ||
      a.virtualService.localeCompare(b.virtualService),
  );
}

export type WeightEdit = { ok: true; object: VirtualServiceObject } | { ok: false; problem: string };

/**
 * The object with new weights, for a PUT carrying the resourceVersion the page loaded. Refuses when
 * the routes no longer have the shape the page showed (someone edited them): that is a conflict,
 * and writing weights into different destinations would be wrong.
 */
export function withWeights(
  vs: VirtualServiceObject,
  resourceVersion: string,
  routes: { index: number; weights: number[] }[],
): WeightEdit {
  const http = structuredClone(vs.spec.http ?? []);
  for (const r of routes) {
    const route = http[r.index];
    if (!route?.route || route.route.length !== r.weights.length || !isSplit(route))
      return {
        ok: false,
        problem: `spec.http[${r.index}] no longer splits between ${r.weights.length} destinations`,
      };
    route.route.forEach((d, i) => {
      d.weight = r.weights[i];
    });
  }
  return {
    ok: true,
    object: { ...vs, metadata: { ...vs.metadata, resourceVersion }, spec: { ...vs.spec, http } },
  };
}
