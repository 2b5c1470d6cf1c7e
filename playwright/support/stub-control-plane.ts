// A stand-in for the control plane's console APIs, serving fixtures typed against the real
// contracts (ServiceGraph from @trellis/shared, ProxyStatus from the control plane), so the
// console's states can be driven on demand: data, empty, a missing API, an unreachable server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyStatus } from '@trellis/controlplane/xds/status';
import type { GoldenSignals, GraphEdge, GraphNode, ServiceGraph } from '@trellis/shared/telemetry-api';
import { proxyAdminRoutes } from './stub-proxy-admin';
import { serviceAndTraceRoutes } from './stub-service-traces';

export const SCENARIOS = [
  'bookinfo',
  'two-namespaces',
  'no-telemetry',
  'empty',
  'down',
  'error',
  'large',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface StubState {
  scenario: Scenario;
  /** Added to productpage's rps, so a test can see a refresh land. */
  productpageRps: number;
  /** Error rate (0–1) of ratings-v1's inbound requests, so a test can turn a node red. */
  ratingsErrorRate?: number;
  /** An older control plane: no sidecar-state API (endpoints' ejections, certificates) → 404. */
  noProxyAdmin?: boolean;
}

const signals = (rps: number, errorRate: number | null, p99Ms: number | null): GoldenSignals => ({
  rps,
  errorRate,
  p50Ms: p99Ms === null ? null : p99Ms / 4,
  p95Ms: p99Ms === null ? null : p99Ms / 1.5,
  p99Ms,
});

interface Workload {
  app: string;
  version: string;
  namespace: string;
  state: ProxyStatus['state'];
  inbound: GoldenSignals;
}

function bookinfo(namespace: string, productpageRps: number, ratingsErrorRate = 0): Workload[] {
  return [
    {
      app: 'productpage',
      version: 'v1',
      namespace,
      state: 'SYNCED',
      inbound: signals(productpageRps, 0, 48),
    },
    { app: 'details', version: 'v1', namespace, state: 'SYNCED', inbound: signals(productpageRps, 0, 6) },
    { app: 'reviews', version: 'v1', namespace, state: 'SYNCED', inbound: signals(1.3, 0, 9) },
    { app: 'reviews', version: 'v2', namespace, state: 'SYNCED', inbound: signals(2.1, 0, 21) },
    { app: 'reviews', version: 'v3', namespace, state: 'STALE', inbound: signals(1.6, 0.08, 2540) },
    {
      app: 'ratings',
      version: 'v1',
      namespace,
      state: 'SYNCED',
      inbound: signals(3.7, ratingsErrorRate, 4),
    },
  ];
}

/** Topology scenario "large": 500 services in 5 namespaces, every fifth with a second version. */
const LARGE_SERVICES = 500;

function large(): Workload[] {
  const out: Workload[] = [];
  for (let i = 0; i < LARGE_SERVICES; i++) {
    const namespace = `mesh-${i % 5}`;
    for (const version of i % 5 === 0 ? ['v1', 'v2'] : ['v1'])
      out.push({
        app: `svc-${i}`,
        version,
        namespace,
        state: 'SYNCED',
        inbound: signals(1 + (i % 7), i % 50 === 7 ? 0.3 : 0, 5 + (i % 40)),
      });
  }
  return out;
}

function workloadsFor(state: StubState): Workload[] {
  switch (state.scenario) {
    case 'bookinfo':
    case 'no-telemetry':
      return bookinfo('default', state.productpageRps, state.ratingsErrorRate);
    case 'two-namespaces':
      return [
        ...bookinfo('default', state.productpageRps, state.ratingsErrorRate),
        {
          app: 'httpbin',
          version: 'v1',
          namespace: 'tools',
          state: 'NACKED',
          inbound: signals(0, null, null),
        },
      ];
    case 'large':
      return large();
    case 'empty':
    case 'down':
    case 'error':
      return [];
  }
}

function proxies(workloads: Workload[]): ProxyStatus[] {
  const now = new Date().toISOString();
  return workloads.map((w) => ({
    id: `${w.app}-${w.version}-1`,
    workload: `${w.app}-${w.version}`,
    namespace: w.namespace,
    labels: { app: w.app, version: w.version },
    version: w.state === 'SYNCED' ? 'c1f4e2a' : '9b07d13',
    sentVersion: 'c1f4e2a',
    state: w.state,
    lastAckTime: now,
    lastError: w.state === 'NACKED' ? 'route "httpbin": unknown subset "v9"' : null,
    connectedAt: now,
    disconnectedAt: null,
    proxyVersion: '0.1.0',
    pushes: 3,
  }));
}

const workloadId = (w: Pick<Workload, 'namespace' | 'app' | 'version'>) =>
  `workload:${w.namespace}/${w.app}-${w.version}`;

function edge(
  source: string,
  target: Pick<Workload, 'namespace' | 'app' | 'version'>,
  s: GoldenSignals,
  mtlsShare: number | null,
): GraphEdge {
  const errors = s.rps * (s.errorRate ?? 0);
  return {
    id: `${source}->${workloadId(target)}|http`,
    source,
    target: workloadId(target),
    protocol: 'http',
    destinationService: `${target.app}.${target.namespace}.svc.cluster.local`,
    ...s,
    mtlsShare,
    responseCodes: errors > 0 ? { '200': s.rps - errors, '503': errors } : { '200': s.rps },
    responseFlags: {},
  };
}

/**
 * Bookinfo's calls, matching the inbound numbers above: traffic from outside (plaintext) into
 * productpage, mTLS inside, and reviews-v3 → ratings partly plaintext (a PERMISSIVE migration).
 */
function edges(workloads: Workload[], state: StubState): GraphEdge[] {
  const out: GraphEdge[] = [];
  const find = (ns: string, app: string, version: string) =>
    workloads.find((w) => w.namespace === ns && w.app === app && w.version === version);
  for (const pp of workloads.filter((w) => w.app === 'productpage')) {
    const ns = pp.namespace;
    const p = state.productpageRps;
    const ratingsErr = state.ratingsErrorRate ?? 0;
    const to = (app: string, version: string) => find(ns, app, version);
    const calls: [string, Workload | undefined, GoldenSignals, number | null][] = [
      ['unknown', pp, signals(p, 0, 48), 0],
      [workloadId(pp), to('details', 'v1'), signals(p, 0, 6), 1],
      [workloadId(pp), to('reviews', 'v1'), signals(1.3, 0, 9), 1],
      [workloadId(pp), to('reviews', 'v2'), signals(2.1, 0, 21), 1],
      [workloadId(pp), to('reviews', 'v3'), signals(1.6, 0.08, 2540), 1],
      [`workload:${ns}/reviews-v2`, to('ratings', 'v1'), signals(2.1, ratingsErr, 4), 1],
      [`workload:${ns}/reviews-v3`, to('ratings', 'v1'), signals(1.6, ratingsErr, 4), 0.6],
    ];
    for (const [source, target, s, mtls] of calls) if (target) out.push(edge(source, target, s, mtls));
  }
  // "large": each workload calls the next two services over, a few enter from outside.
  if (state.scenario === 'large') {
    const byIndex = workloads.filter((w) => w.version === 'v1');
    const versionsOf = (app: string) => workloads.filter((w) => w.app === app);
    byIndex.forEach((w, i) => {
      for (const step of [1, 37]) {
        // A caller reaches every version of the service it calls (v2 is a canary).
        for (const target of versionsOf(byIndex[(i + step) % byIndex.length]!.app))
          out.push(edge(workloadId(w), target, target.inbound, 1));
      }
      if (i % 100 === 0) out.push(edge('unknown', w, w.inbound, 0));
    });
  }
  return out;
}

function graph(workloads: Workload[], state: StubState): ServiceGraph {
  const endMs = Date.now();
  const nodes: GraphNode[] = workloads.map((w) => ({
    id: `workload:${w.namespace}/${w.app}-${w.version}`,
    kind: 'workload',
    namespace: w.namespace,
    workload: `${w.app}-${w.version}`,
    app: w.app,
    version: w.version,
    services: [`${w.app}.${w.namespace}.svc.cluster.local`],
    inbound: w.inbound,
    outboundRps: 0,
  }));
  const graphEdges = edges(workloads, state);
  for (const n of nodes)
    n.outboundRps = graphEdges.filter((e) => e.source === n.id).reduce((a, e) => a + e.rps, 0);
  if (nodes.length > 0)
    nodes.push({
      id: 'unknown',
      kind: 'unknown',
      namespace: 'unknown',
      inbound: signals(0, null, null),
      outboundRps: graphEdges.filter((e) => e.source === 'unknown').reduce((a, e) => a + e.rps, 0),
    });
  return {
    backend: 'builtin',
    window: { startMs: endMs - 60_000, endMs, windowSeconds: 60 },
    nodes,
    edges: graphEdges,
  };
}

export interface StubControlPlane {
  url: string;
  state: StubState;
  close(): Promise<void>;
}

export async function startStubControlPlane(): Promise<StubControlPlane> {
  const state: StubState = { scenario: 'bookinfo', productpageRps: 5 };
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    // Test hook: POST /__stub {"scenario": "...", "productpageRps": n}
    if (url.pathname === '/__stub' && req.method === 'POST') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      Object.assign(state, JSON.parse(raw) as Partial<StubState>);
      return json(res, 200, state);
    }
    if (state.scenario === 'down') {
      // Closing without an answer looks to the console like a control plane that went away.
      req.socket.destroy();
      return;
    }
    if (state.scenario === 'error') return json(res, 500, { kind: 'Status', message: 'store is not ready' });
    const workloads = workloadsFor(state);
    if (url.pathname === '/api/v1/mesh/proxies') return json(res, 200, proxies(workloads));
    if (url.pathname === '/api/v1/mesh/graph') {
      if (state.scenario === 'no-telemetry') return json(res, 404, { message: 'not found' });
      return json(res, 200, graph(workloads, state));
    }
    // What the control plane reads from the sidecars' admin: ejections per caller, certificates.
    const admin = proxyAdminRoutes(url, workloads);
    if (admin)
      return state.noProxyAdmin
        ? json(res, 404, { message: 'not found' })
        : json(res, admin.status, admin.body);
    // Service page and traces (metrics series, VirtualServices/DestinationRules, trace store).
    const serviceOrTrace = serviceAndTraceRoutes(url, state.scenario, workloads);
    if (serviceOrTrace) return json(res, serviceOrTrace.status, serviceOrTrace.body);
    if (url.pathname === '/healthz') return json(res, 200, { ok: true });
    json(res, 404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** From a test: switch what the stub serves. */
export async function setStub(stubUrl: string, patch: Partial<StubState>): Promise<void> {
  const res = await fetch(`${stubUrl}/__stub`, { method: 'POST', body: JSON.stringify(patch) });
  if (!res.ok) throw new Error(`stub answered ${res.status}`);
}
