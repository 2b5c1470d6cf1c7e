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

/** Graph ids of the workloads of `fqdn` with version `version` (every version when null). */
function workloadsOf(graph: CanaryGraph, fqdn: string, version: string | null): Set<string> {
  const app = fqdn.split('.')[0];
  const ns = fqdn.split('.')[1];
  return new Set(
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
}

/**
 * Requests per second into the workloads of `fqdn` with version `version`, over the graph's
 * window: the sum of edges addressed to the service and ending at such a workload.
 */
export function observedRps(graph: CanaryGraph, fqdn: string, version: string | null): number {
  const targets = workloadsOf(graph, fqdn, version);
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

/**
 * The one host every destination of the route names (as written in the first one, with its FQDN),
 * or null when they name several hosts or the route has no destination: only then is "add a
 * version of this host" well defined.
 */
export function routeHostOf(route: HttpRoute, vsNamespace: string): { host: string; fqdn: string } | null {
  const hosts = (route.route ?? []).map((d) => d.destination?.host ?? '');
  const [first] = hosts;
  if (!first) return null;
  const fqdn = fqdnOf(first, vsNamespace);
  return hosts.every((h) => h !== '' && fqdnOf(h, vsNamespace) === fqdn) ? { host: first, fqdn } : null;
}

/** Subset names the DestinationRules for `fqdn` define (a short DR host is relative to the DR's namespace). */
function subsetsOf(fqdn: string, rules: DestinationRuleObject[]): Set<string> {
  const out = new Set<string>();
  for (const dr of rules) {
    if (!dr.spec.host || fqdnOf(dr.spec.host, dr.metadata.namespace) !== fqdn) continue;
    for (const s of dr.spec.subsets ?? []) out.add(s.name);
  }
  return out;
}

/** Subsets of the route's one host that no destination of the route uses yet, sorted. */
export function addableSubsetsOf(
  route: HttpRoute,
  vsNamespace: string,
  rules: DestinationRuleObject[],
): string[] {
  const one = routeHostOf(route, vsNamespace);
  if (!one) return [];
  const used = new Set((route.route ?? []).map((d) => d.destination?.subset));
  return [...subsetsOf(one.fqdn, rules)].filter((s) => !used.has(s)).sort();
}

/**
 * What an addable subset would be as a destination: weight 0, no share (the route's observed
 * shares are over its current destinations), and the version's rate only when the graph knows a
 * workload of that version (else unknown, "—", rather than a zero that reads as "no traffic").
 */
function addableDestinationOf(
  host: string,
  fqdn: string,
  subset: string,
  rules: DestinationRuleObject[],
  graph: CanaryGraph | null,
): SplitDestination {
  const version = versionOf(subset, fqdn, rules);
  const known = graph !== null && workloadsOf(graph, fqdn, version).size > 0;
  return {
    host,
    subset,
    version,
    weight: 0,
    observedRps: known ? observedRps(graph, fqdn, version) : null,
    observedShare: null,
  };
}

/**
 * The page's view of one VirtualService, in spec order: its split routes, and the single-destination
 * routes a version could be added to (a canary to start). A single destination with nothing to add
 * has no slider to offer and is left out.
 */
export function splitViewOf(
  vs: VirtualServiceObject,
  rules: DestinationRuleObject[],
  graph: CanaryGraph | null,
): CanaryVirtualService {
  const ns = vs.metadata.namespace;
  const routes: SplitRoute[] = [];
  (vs.spec.http ?? []).forEach((r, index) => {
    const addable = addableSubsetsOf(r, ns, rules);
    if (!isSplit(r) && addable.length === 0) return;
    const one = routeHostOf(r, ns);
    routes.push({
      index,
      name: r.name ?? null,
      match: matchSummary(r),
      destinations: destinationsOf(r, ns, rules, graph),
      addableSubsets: addable,
      addableDestinations: one
        ? addable.map((s) => addableDestinationOf(one.host, one.fqdn, s, rules, graph))
        : [],
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

/**
 * Every (namespace, service) that some VirtualService splits or could start splitting (a
 * single-destination route whose host's DestinationRule has another subset), for the page without
 * ?service=. `rules` are the DestinationRules of every namespace.
 */
export function candidatesOf(all: VirtualServiceObject[], rules: DestinationRuleObject[]): CanaryCandidate[] {
  const out: CanaryCandidate[] = [];
  for (const vs of all) {
    const http = vs.spec.http ?? [];
    const splits = http.filter(isSplit).length;
    const canStart = http.filter(
      (r) => !isSplit(r) && addableSubsetsOf(r, vs.metadata.namespace, rules).length > 0,
    ).length;
    if (splits === 0 && canStart === 0) continue;
    const hosts = new Set((vs.spec.hosts ?? []).map((h) => fqdnOf(h, vs.metadata.namespace)));
    for (const h of hosts) {
      if (!h.endsWith(`.${DOMAIN}`)) continue;
      const [service = h, namespace = vs.metadata.namespace] = h.split('.');
      out.push({ namespace, service, virtualService: vs.metadata.name, splitRoutes: splits, canStart });
    }
  }
  return out.sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) ||
      a.service.localeCompare(b.service) ||
      a.virtualService.localeCompare(b.virtualService),
  );
}

export interface WeightChange {
  index: number;
  /** Existing destinations' weights, then the added ones'. */
  weights: number[];
  /** Subsets to append as destinations of the route's one host, in order. */
  add?: string[];
}

export type WeightEdit =
  | { ok: true; object: VirtualServiceObject }
  /** The route no longer has the shape the page showed: someone edited it. */
  | { ok: false; reason: 'conflict'; problem: string }
  /** An added subset is not one the route may take: not in the host's DestinationRule, or already there. */
  | { ok: false; reason: 'not-addable'; causes: { field: string; message: string }[] };

/**
 * The object with new weights (and added destinations), for a PUT carrying the resourceVersion the
 * page loaded. Refuses when the routes no longer have the shape the page showed (someone edited
 * them): that is a conflict, and writing weights into different destinations would be wrong.
 * `rules` (every DestinationRule) decide which subsets may be added.
 */
export function withWeights(
  vs: VirtualServiceObject,
  resourceVersion: string,
  routes: WeightChange[],
  rules: DestinationRuleObject[] = [],
): WeightEdit {
  const ns = vs.metadata.namespace;
  const http = structuredClone(vs.spec.http ?? []);
  const causes: { field: string; message: string }[] = [];
  for (const r of routes) {
    const route = http[r.index];
    const add = r.add ?? [];
    const current = route?.route ?? [];
    const loaded = r.weights.length - add.length;
    if (!route || current.length !== loaded || r.weights.length < 2)
      return {
        ok: false,
        reason: 'conflict',
        problem:
          add.length === 0
            ? `spec.http[${r.index}] no longer splits between ${r.weights.length} destinations`
            : `spec.http[${r.index}] no longer routes to the ${loaded} destination${loaded === 1 ? '' : 's'} the page loaded`,
      };
    if (add.length > 0) {
      const one = routeHostOf(route, ns);
      if (!one)
        return {
          ok: false,
          reason: 'conflict',
          problem: `spec.http[${r.index}]: its destinations no longer name one host to add a version of`,
        };
      const addable = new Set(addableSubsetsOf(route, ns, rules));
      const used = new Set(current.map((d) => d.destination?.subset));
      add.forEach((subset, k) => {
        const field = `spec.http[${r.index}].route[${current.length + k}].destination.subset`;
        if (used.has(subset) || add.indexOf(subset) !== k)
          causes.push({ field, message: `subset ${subset} is already a destination of this route` });
        else if (!addable.has(subset))
          causes.push({
            field,
            message: `subset ${subset} is not defined by a DestinationRule for ${one.fqdn}`,
          });
      });
      route.route = [...current, ...add.map((subset) => ({ destination: { host: one.host, subset } }))];
    }
    route.route?.forEach((d, i) => {
      d.weight = r.weights[i];
    });
  }
  if (causes.length > 0) return { ok: false, reason: 'not-addable', causes };
  return {
    ok: true,
    object: { ...vs, metadata: { ...vs.metadata, resourceVersion }, spec: { ...vs.spec, http } },
  };
}
