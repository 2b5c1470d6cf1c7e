import { formatMs, formatPercent, formatRps } from '../../../lib/format';
import { type Health, healthOf, worstHealth } from '../health';
import type { MtlsState, ServiceRef, Signals, TopologyEdge, TopologyNode, TopologyResponse } from '../types';
import type { GraphEdgeInput, GraphInput, GraphNodeInput } from './schemas';

/**
 * A share of mutual-TLS requests at or above this is "all mTLS": rates are averages of scraped
 * counters, so a fully encrypted edge can come out as 0.9999… rather than exactly 1.
 */
export const MTLS_FULL_SHARE = 0.999;

export interface BuildOptions {
  /** Show only this namespace and what talks to it (edges with an end in it); null: everything. */
  namespace: string | null;
  generatedAtMs: number;
}

/**
 * The decorated graph the topology page draws, from the control plane's ServiceGraph: one box
 * per app holding its versions (Kiali's versioned-app graph), labels, health and mTLS state.
 * Pure: no I/O, same answer for the same input, so a refresh changes only what changed.
 */
export function buildTopology(graph: GraphInput, opts: BuildOptions): TopologyResponse {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const namespaces = [
    ...new Set(graph.nodes.filter((n) => n.kind !== 'unknown' && n.namespace).map((n) => n.namespace)),
  ].sort();

  const ns = opts.namespace;
  // The control plane's own filter rule (edges touching the namespace), so both agree.
  const edges = graph.edges.filter((e) => {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) return false;
    return ns === null || s.namespace === ns || t.namespace === ns;
  });
  const shown = new Set<string>();
  for (const n of graph.nodes) if (ns === null || n.namespace === ns) shown.add(n.id);
  for (const e of edges) {
    shown.add(e.source);
    shown.add(e.target);
  }

  const multiNamespace = ns === null && namespaces.length > 1;
  const nodes: TopologyNode[] = [];
  const boxes = new Map<string, TopologyNode>();
  const boxChildren = new Map<string, TopologyNode[]>();

  for (const n of graph.nodes) {
    if (!shown.has(n.id)) continue;
    const outside = ns !== null && n.namespace !== ns && n.kind !== 'unknown';
    const node = nodeOf(n, outside);
    if (n.kind === 'workload') {
      const app = node.app ?? node.workload ?? n.id;
      const boxId = `app:${n.namespace}/${app}`;
      node.parent = boxId;
      if (!boxes.has(boxId))
        boxes.set(boxId, {
          ...emptyBox(boxId, n.namespace, app),
          outsideNamespace: outside,
          label: multiNamespace || outside ? `${app}\n${n.namespace}` : app,
        });
      boxChildren.set(boxId, [...(boxChildren.get(boxId) ?? []), node]);
    }
    nodes.push(node);
  }

  for (const [boxId, box] of boxes) {
    const children = (boxChildren.get(boxId) ?? []).sort((a, b) => a.id.localeCompare(b.id));
    box.children = children.map((c) => c.id);
    box.inbound = sumSignals(children.map((c) => c.inbound));
    box.outboundRps = children.reduce((sum, c) => sum + c.outboundRps, 0);
    box.health = worstHealth(children.map((c) => c.health));
    box.services = uniqueServices(children.flatMap((c) => c.services));
    if (box.services.length === 0) box.services = [defaultService(box.namespace, box.app ?? boxId)];
    for (const c of children) if (c.services.length === 0) c.services = box.services;
  }

  const allNodes = [...boxes.values(), ...nodes].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id.localeCompare(b.id),
  );
  const viewEdges = edges.map(edgeOf).sort((a, b) => a.id.localeCompare(b.id));

  return {
    generatedAtMs: opts.generatedAtMs,
    windowSeconds: graph.window.windowSeconds,
    backend: graph.backend,
    namespace: ns,
    namespaces,
    nodes: allNodes,
    edges: viewEdges,
    summary: {
      apps: boxes.size,
      workloads: nodes.filter((n) => n.kind === 'workload').length,
      services: nodes.filter((n) => n.kind === 'service').length,
      edges: viewEdges.length,
    },
  };
}

/** Parents before children: cytoscape needs a compound parent to exist when a child is added. */
const KIND_ORDER: Record<TopologyNode['kind'], number> = { app: 0, unknown: 1, workload: 2, service: 3 };

function signalsOf(s: GraphNodeInput['inbound'] | GraphEdgeInput): Signals {
  return {
    rps: s.rps,
    errorRate: s.errorRate,
    p50Ms: s.p50Ms ?? null,
    p95Ms: s.p95Ms ?? null,
    p99Ms: s.p99Ms,
  };
}

function nodeOf(n: GraphNodeInput, outside: boolean): TopologyNode {
  const inbound = signalsOf(n.inbound);
  const base = {
    id: n.id,
    parent: null,
    namespace: n.namespace,
    inbound,
    outboundRps: n.outboundRps ?? 0,
    health: healthOf(inbound.rps, inbound.errorRate),
    outsideNamespace: outside,
    children: [],
  };
  switch (n.kind) {
    case 'workload': {
      const version = n.version && n.version !== 'unknown' ? n.version : null;
      const workload = n.workload ?? n.id;
      return {
        ...base,
        kind: 'workload',
        label: version ?? workload,
        app: n.app ?? workload,
        version,
        workload,
        services: uniqueServices((n.services ?? []).map((h) => serviceRef(h, n.namespace))),
      };
    }
    case 'service': {
      const services = uniqueServices((n.services ?? []).map((h) => serviceRef(h, n.namespace)));
      return {
        ...base,
        kind: 'service',
        label: services[0]?.name ?? n.id.replace(/^service:/, ''),
        app: null,
        version: null,
        workload: null,
        services,
      };
    }
    case 'unknown':
      return {
        ...base,
        kind: 'unknown',
        label: 'unknown',
        app: null,
        version: null,
        workload: null,
        services: [],
      };
  }
}

function emptyBox(id: string, namespace: string, app: string): TopologyNode {
  return {
    id,
    kind: 'app',
    parent: null,
    label: app,
    namespace,
    app,
    version: null,
    workload: null,
    services: [],
    inbound: { rps: 0, errorRate: null, p50Ms: null, p95Ms: null, p99Ms: null },
    outboundRps: 0,
    health: 'idle',
    outsideNamespace: false,
    children: [],
  };
}

/** Rates and errors add; quantiles do not, so the box shows the largest (an upper bound). */
export function sumSignals(all: Signals[]): Signals {
  let rps = 0;
  let errors = 0;
  let judged = 0;
  const max = (k: 'p50Ms' | 'p95Ms' | 'p99Ms') =>
    all.reduce<number | null>((m, s) => (s[k] === null ? m : Math.max(m ?? 0, s[k])), null);
  for (const s of all) {
    rps += s.rps;
    if (s.errorRate !== null) {
      errors += s.rps * s.errorRate;
      judged += s.rps;
    }
  }
  return {
    rps,
    errorRate: judged > 0 ? errors / judged : null,
    p50Ms: max('p50Ms'),
    p95Ms: max('p95Ms'),
    p99Ms: max('p99Ms'),
  };
}

/** "reviews.default.svc.cluster.local" → default/reviews; anything else stays whole in the node's namespace. */
export function serviceRef(hostname: string, fallbackNamespace: string): ServiceRef {
  const parts = hostname.split('.');
  if (parts.length >= 3 && parts[2] === 'svc' && parts[0] && parts[1])
    return { namespace: parts[1], name: parts[0], hostname };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[1], name: parts[0], hostname };
  return { namespace: fallbackNamespace, name: hostname, hostname };
}

function defaultService(namespace: string, app: string): ServiceRef {
  return { namespace, name: app, hostname: `${app}.${namespace}.svc.cluster.local` };
}

function uniqueServices(all: ServiceRef[]): ServiceRef[] {
  const seen = new Map<string, ServiceRef>();
  for (const s of all) if (!seen.has(s.hostname)) seen.set(s.hostname, s);
  return [...seen.values()];
}

export function mtlsStateOf(share: number | null): MtlsState {
  if (share === null) return 'unknown';
  if (share >= MTLS_FULL_SHARE) return 'mtls';
  return share <= 0 ? 'none' : 'partial';
}

function edgeOf(e: GraphEdgeInput): TopologyEdge {
  const signals = signalsOf(e);
  const mtls = mtlsStateOf(e.mtlsShare);
  const health: Health = healthOf(signals.rps, signals.errorRate);
  const tcp = e.tcp ?? null;
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    protocol: e.protocol,
    destinationService: e.destinationService,
    ...signals,
    mtls,
    mtlsShare: e.mtlsShare,
    health,
    label: edgeLabel(e.protocol, signals, tcp, mtls, e.mtlsShare),
    responseCodes: e.responseCodes ?? {},
    responseFlags: e.responseFlags ?? {},
    tcp,
  };
}

/**
 * Two short lines, as Kiali's edge labels: throughput (and errors when there are any), then
 * p99 and a plaintext mark. The mTLS lock is drawn by the graph, not written in the label.
 */
export function edgeLabel(
  protocol: string,
  s: Signals,
  tcp: TopologyEdge['tcp'],
  mtls: MtlsState,
  mtlsShare: number | null,
): string {
  const first =
    protocol === 'tcp' && tcp
      ? formatBytesPerSecond(tcp.sentBytesPerSecond + tcp.receivedBytesPerSecond)
      : `${formatRps(s.rps)} rps${s.errorRate !== null && s.errorRate > 0 ? ` · ${formatPercent(s.errorRate)} err` : ''}`;
  const second: string[] = [];
  if (s.p99Ms !== null && protocol !== 'tcp') second.push(`p99 ${formatMs(s.p99Ms)}`);
  if (mtls === 'none') second.push('⚠ plaintext');
  if (mtls === 'partial' && mtlsShare !== null) second.push(`⚠ ${formatPercent(1 - mtlsShare)} plaintext`);
  return second.length > 0 ? `${first}\n${second.join(' · ')}` : first;
}

export function formatBytesPerSecond(bps: number): string {
  if (bps < 1024) return `${Math.round(bps)} B/s`;
  if (bps < 1024 * 1024) return `${(bps / 1024).toFixed(1)} KiB/s`;
  return `${(bps / 1024 / 1024).toFixed(1)} MiB/s`;
}
