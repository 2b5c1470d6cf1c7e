import type {
  GraphEdge,
  GraphNode,
  RequestProtocol,
  ServiceGraph,
  TelemetryBackendKind,
  TimeWindow,
} from '@trellis/shared';
import { addBuckets, isError, quantiles, type RateRow, type TrafficRates } from './rates';

const UNKNOWN = 'unknown';

/**
 * Which reporter speaks for an edge, as Kiali decides (graph/telemetry/istio/istio.go): the
 * source sidecar for traffic from inside the mesh (it also sees requests that never reached a
 * destination, such as fault-injected aborts), the destination sidecar for traffic from outside.
 * Using one reporter per request avoids counting each request twice.
 */
export function isGraphRow(labels: Record<string, string>): boolean {
  const fromUnknown = (labels.source_workload ?? UNKNOWN) === UNKNOWN;
  return labels.reporter === (fromUnknown ? 'destination' : 'source');
}

interface Endpoint {
  id: string;
  node: Omit<GraphNode, 'inbound' | 'outboundRps'>;
}

function sourceOf(l: Record<string, string>): Endpoint {
  const wl = l.source_workload ?? UNKNOWN;
  if (wl === UNKNOWN) return { id: 'unknown', node: { id: 'unknown', kind: 'unknown', namespace: '' } };
  const ns = l.source_workload_namespace ?? UNKNOWN;
  const id = `workload:${ns}/${wl}`;
  return {
    id,
    node: {
      id,
      kind: 'workload',
      namespace: ns,
      workload: wl,
      app: l.source_canonical_service || wl,
      version: l.source_version || UNKNOWN,
    },
  };
}

function destinationOf(l: Record<string, string>): Endpoint {
  const wl = l.destination_workload ?? UNKNOWN;
  const service = l.destination_service ?? UNKNOWN;
  if (wl === UNKNOWN) {
    const id = `service:${service}`;
    return {
      id,
      node: {
        id,
        kind: 'service',
        namespace: l.destination_service_namespace ?? UNKNOWN,
        services: [service],
      },
    };
  }
  const ns = l.destination_workload_namespace ?? UNKNOWN;
  const id = `workload:${ns}/${wl}`;
  return {
    id,
    node: {
      id,
      kind: 'workload',
      namespace: ns,
      workload: wl,
      app: l.destination_canonical_service || wl,
      version: l.destination_version || UNKNOWN,
      services: service === UNKNOWN ? [] : [service],
    },
  };
}

function protocolOf(l: Record<string, string>): RequestProtocol {
  const p = l.request_protocol;
  return p === 'grpc' ? 'grpc' : p === 'tcp' ? 'tcp' : 'http';
}

interface EdgeAcc {
  source: string;
  target: string;
  protocol: RequestProtocol;
  destinationService: string;
  rps: number;
  errors: number;
  mtls: number;
  codes: Map<string, number>;
  flags: Map<string, number>;
  buckets: Map<number, number>;
  tcpSent: number;
  tcpReceived: number;
  tcpMtls: number;
}

function edgeKey(source: string, target: string, protocol: string): string {
  return `${source}->${target}|${protocol}`;
}

export interface GraphOptions {
  backend: TelemetryBackendKind;
  window: TimeWindow;
  /** Keep only edges with an end in one of these namespaces (all when empty or absent). */
  namespaces?: readonly string[];
}

/** Builds the service graph from the rates of one window. Pure: both backends feed it. */
export function buildGraph(rates: TrafficRates, opts: GraphOptions): ServiceGraph {
  const nodes = new Map<string, Endpoint['node'] & { services?: string[] }>();
  const edges = new Map<string, EdgeAcc>();

  const touch = (row: RateRow, protocol: RequestProtocol): EdgeAcc => {
    const s = sourceOf(row.labels);
    const d = destinationOf(row.labels);
    for (const e of [s, d]) {
      const known = nodes.get(e.id);
      if (!known)
        nodes.set(e.id, { ...e.node, services: e.node.services ? [...e.node.services] : undefined });
      else if (e.node.services) {
        known.services ??= [];
        for (const svc of e.node.services) if (!known.services.includes(svc)) known.services.push(svc);
      }
    }
    const key = edgeKey(s.id, d.id, protocol);
    let acc = edges.get(key);
    if (!acc) {
      acc = {
        source: s.id,
        target: d.id,
        protocol,
        destinationService: row.labels.destination_service ?? UNKNOWN,
        rps: 0,
        errors: 0,
        mtls: 0,
        codes: new Map(),
        flags: new Map(),
        buckets: new Map(),
        tcpSent: 0,
        tcpReceived: 0,
        tcpMtls: 0,
      };
      edges.set(key, acc);
    }
    return acc;
  };

  for (const row of rates.requests) {
    if (!(row.value > 0) || !isGraphRow(row.labels)) continue;
    const acc = touch(row, protocolOf(row.labels));
    acc.rps += row.value;
    if (isError(row.labels)) acc.errors += row.value;
    if (row.labels.connection_security_policy === 'mutual_tls') acc.mtls += row.value;
    const code = row.labels.response_code ?? '';
    acc.codes.set(code, (acc.codes.get(code) ?? 0) + row.value);
    const flags = row.labels.response_flags ?? '-';
    if (flags !== '-' && flags !== '')
      for (const f of flags.split(',')) acc.flags.set(f, (acc.flags.get(f) ?? 0) + row.value);
  }
  for (const row of rates.durationBuckets) {
    if (!isGraphRow(row.labels)) continue;
    const s = sourceOf(row.labels);
    const d = destinationOf(row.labels);
    const acc = edges.get(edgeKey(s.id, d.id, protocolOf(row.labels)));
    if (acc) addBuckets(acc.buckets, [row]);
  }
  for (const [rows, dir] of [
    [rates.tcpSent, 'sent'],
    [rates.tcpReceived, 'received'],
  ] as const) {
    for (const row of rows) {
      if (!(row.value > 0) || !isGraphRow(row.labels)) continue;
      const acc = touch(row, 'tcp');
      if (dir === 'sent') {
        acc.tcpSent += row.value;
        if (row.labels.connection_security_policy === 'mutual_tls') acc.tcpMtls += row.value;
      } else acc.tcpReceived += row.value;
    }
  }

  const ns = opts.namespaces && opts.namespaces.length > 0 ? new Set(opts.namespaces) : undefined;
  const keptEdges: GraphEdge[] = [];
  const inbound = new Map<string, { rps: number; errors: number; buckets: Map<number, number> }>();
  const outbound = new Map<string, number>();
  for (const [id, e] of edges) {
    const src = nodes.get(e.source)!;
    const dst = nodes.get(e.target)!;
    if (ns && !ns.has(src.namespace) && !ns.has(dst.namespace)) continue;
    const tcp = e.protocol === 'tcp';
    const edge: GraphEdge = {
      id,
      source: e.source,
      target: e.target,
      protocol: e.protocol,
      destinationService: e.destinationService,
      rps: e.rps,
      errorRate: e.rps > 0 ? e.errors / e.rps : null,
      ...quantiles(e.buckets),
      mtlsShare: tcp ? (e.tcpSent > 0 ? e.tcpMtls / e.tcpSent : null) : e.rps > 0 ? e.mtls / e.rps : null,
      responseCodes: Object.fromEntries([...e.codes].sort(([a], [b]) => a.localeCompare(b))),
      responseFlags: Object.fromEntries([...e.flags].sort(([a], [b]) => a.localeCompare(b))),
    };
    if (tcp) edge.tcp = { sentBytesPerSecond: e.tcpSent, receivedBytesPerSecond: e.tcpReceived };
    keptEdges.push(edge);
    const inb = inbound.get(e.target) ?? { rps: 0, errors: 0, buckets: new Map<number, number>() };
    inb.rps += e.rps;
    inb.errors += e.errors;
    for (const [le, c] of e.buckets) inb.buckets.set(le, (inb.buckets.get(le) ?? 0) + c);
    inbound.set(e.target, inb);
    outbound.set(e.source, (outbound.get(e.source) ?? 0) + e.rps);
  }

  const used = new Set(keptEdges.flatMap((e) => [e.source, e.target]));
  const keptNodes: GraphNode[] = [...nodes.values()]
    .filter((n) => used.has(n.id))
    .map((n) => {
      const inb = inbound.get(n.id);
      const node: GraphNode = {
        ...n,
        inbound: inb
          ? { rps: inb.rps, errorRate: inb.rps > 0 ? inb.errors / inb.rps : null, ...quantiles(inb.buckets) }
          : { rps: 0, errorRate: null, p50Ms: null, p95Ms: null, p99Ms: null },
        outboundRps: outbound.get(n.id) ?? 0,
      };
      if (node.services === undefined) delete node.services;
      else node.services = [...node.services].sort();
      return node;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  keptEdges.sort((a, b) => a.id.localeCompare(b.id));
  return { backend: opts.backend, window: opts.window, nodes: keptNodes, edges: keptEdges };
}
