// The stub control plane's answers for the service page and the traces pages: golden-metric
// series per version, VirtualServices and DestinationRules, a trace store with search. Typed
// against the real contracts (@trellis/shared/telemetry-api), deterministic, relative to now.
import type {
  GoldenPoint,
  GoldenSeries,
  ServiceMetrics,
  TraceDetail,
  TraceSearchResponse,
  TraceServicesResponse,
  TraceSpan,
  TraceSummary,
} from '@trellis/shared/telemetry-api';

/** What stub-control-plane.ts knows about a workload (structurally its Workload). */
export interface StubWorkload {
  app: string;
  version: string;
  namespace: string;
  inbound: {
    rps: number;
    errorRate: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
  };
}

export interface StubAnswer {
  status: number;
  body: unknown;
}

const notFound = (what: string): StubAnswer => ({
  status: 404,
  body: {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'NotFound',
    code: 404,
    message: `${what} not found`,
  },
});

// ---------------------------------------------------------------------------------------------
// Golden metrics

function seconds(raw: string | null, fallback: number): number {
  const m = /^(\d+)(s|m|h)?$/.exec(raw ?? '');
  if (!m) return fallback;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

/**
 * Each version's rate waves ±15 % around its inbound rps over exactly two periods of the range,
 * so the mean over the range is that rps (what the summary shows); error rate and latency are
 * the inbound ones, latency slightly wavy.
 */
function serviceMetrics(
  url: URL,
  namespace: string,
  name: string,
  workloads: StubWorkload[],
): ServiceMetrics {
  const rangeSeconds = seconds(url.searchParams.get('range'), 1800);
  const stepSeconds = Math.max(15, Math.ceil(rangeSeconds / 120));
  const n = Math.floor(rangeSeconds / stepSeconds);
  const endMs = Math.floor(Date.now() / (stepSeconds * 1000)) * stepSeconds * 1000;
  const mine = workloads
    .filter((w) => w.namespace === namespace && w.app === name)
    .sort((a, b) => a.version.localeCompare(b.version));
  const versions: GoldenSeries[] = mine.map((w, vi) => ({
    version: w.version,
    workload: `${w.app}-${w.version}`,
    points: Array.from({ length: n }, (_, i): GoldenPoint => {
      const wave = Math.sin((4 * Math.PI * i) / n + vi * 1.3);
      // Zero at the newest step, so the summary's latest latency is the inbound one exactly.
      const lat = (v: number | null) =>
        v === null ? null : v * (1 + 0.1 * Math.sin((4 * Math.PI * (n - 1 - i)) / n));
      const rps = w.inbound.rps * (1 + 0.15 * wave);
      return {
        tMs: endMs - (n - 1 - i) * stepSeconds * 1000,
        rps,
        errorRate: rps > 0 ? w.inbound.errorRate : null,
        p50Ms: lat(w.inbound.p50Ms),
        p95Ms: lat(w.inbound.p95Ms),
        p99Ms: lat(w.inbound.p99Ms),
      };
    }),
  }));
  const total: GoldenSeries = {
    points: Array.from({ length: n }, (_, i): GoldenPoint => {
      const at = versions.map((v) => v.points[i]!);
      const rps = at.reduce((a, p) => a + p.rps, 0);
      const weighted = (pick: (p: GoldenPoint) => number | null) =>
        rps > 0 ? at.reduce((a, p) => a + p.rps * (pick(p) ?? 0), 0) / rps : null;
      return {
        tMs: endMs - (n - 1 - i) * stepSeconds * 1000,
        rps,
        errorRate: weighted((p) => p.errorRate),
        p50Ms: weighted((p) => p.p50Ms),
        p95Ms: weighted((p) => p.p95Ms),
        // The slowest version dominates a tail quantile of the mix.
        p99Ms: rps > 0 ? Math.max(...at.map((p) => p.p99Ms ?? 0)) : null,
      };
    }),
  };
  return {
    backend: 'builtin',
    service: { namespace, name, hostname: `${name}.${namespace}.svc.cluster.local` },
    reporter: 'destination',
    window: { startMs: endMs - rangeSeconds * 1000, endMs, windowSeconds: rangeSeconds, stepSeconds },
    total,
    versions,
  };
}

// ---------------------------------------------------------------------------------------------
// VirtualServices and DestinationRules (Bookinfo's samples, plus one from another namespace)

const meta = (namespace: string, name: string, generation: number) => ({
  name,
  namespace,
  uid: `uid-${namespace}-${name}`,
  resourceVersion: String(100 + generation),
  generation,
  creationTimestamp: '2026-01-01T10:00:00Z',
});

function virtualServices(namespace: string) {
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(namespace, 'reviews', 3),
      spec: {
        hosts: ['reviews'],
        http: [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 80 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: 20 },
            ],
            retries: { attempts: 2, perTryTimeout: '2s', retryOn: '5xx' },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(namespace, 'ratings-fault', 1),
      spec: {
        hosts: ['ratings'],
        http: [
          {
            fault: { abort: { percentage: { value: 10 }, httpStatus: 503 } },
            route: [{ destination: { host: 'ratings', subset: 'v1' } }],
          },
        ],
      },
    },
  ];
}

function destinationRules(namespace: string) {
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(namespace, 'reviews', 2),
      spec: {
        host: `reviews.${namespace}.svc.cluster.local`,
        trafficPolicy: {
          outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '30s' },
        },
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' } },
          { name: 'v3', labels: { version: 'v3' } },
        ],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(namespace, 'ratings', 1),
      spec: { host: 'ratings', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
    },
  ];
}

const list = (kind: string, items: unknown[]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: `${kind}List`,
  metadata: { resourceVersion: '120' },
  items,
});

// ---------------------------------------------------------------------------------------------
// Traces

export const RETRY_TRACE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const FAULT_TRACE_ID = 'f1f2f3f4f5f6f7f8f9fafbfcfdfeff00';
const OK_TRACE_ID = '0123456789abcdef0123456789abcdef';
const SLOW_TRACE_ID = '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a';

const op = (app: string) => `${app}.default.svc.cluster.local:9080/*`;

function spanOf(
  traceId: string,
  t0: number,
  spanId: string,
  parentSpanId: string | undefined,
  app: string,
  kind: 'server' | 'client',
  name: string,
  startOffset: number,
  durationMs: number,
  attributes: TraceSpan['attributes'],
  error = false,
): TraceSpan {
  return {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind,
    service: `${app}.default`,
    startMs: t0 + startOffset,
    durationMs,
    status: error ? 'error' : 'unset',
    attributes: {
      component: 'proxy',
      'http.method': 'GET',
      'http.protocol': 'HTTP/1.1',
      'istio.canonical_service': app,
      'istio.namespace': 'default',
      ...attributes,
      ...(error ? { error: true } : {}),
    },
    resource: { 'service.name': `${app}.default`, 'service.version': '0.1.0' },
    events: [],
    scope: 'trellis-proxy',
  };
}

/** Four traces a few minutes old: a retry, a fault abort, a plain call and a slow one. */
function traceStore(): TraceDetail[] {
  const now = Date.now();
  const build = (traceId: string, spans: TraceSpan[]): TraceDetail => {
    const start = Math.min(...spans.map((s) => s.startMs));
    const end = Math.max(...spans.map((s) => s.startMs + s.durationMs));
    const root = spans.find((s) => !s.parentSpanId) ?? spans[0]!;
    const services = new Map<string, number>();
    for (const s of spans) services.set(s.service, (services.get(s.service) ?? 0) + 1);
    const summary: TraceSummary = {
      traceId,
      rootService: root.service,
      rootOperation: root.name,
      startMs: start,
      durationMs: end - start,
      spanCount: spans.length,
      errorCount: spans.filter((s) => s.status === 'error').length,
      services: [...services].map(([name, spanCount]) => ({ name, spanCount })),
    };
    return { summary, spans: [...spans].sort((a, b) => a.startMs - b.startMs) };
  };

  const r = now - 60_000;
  const R = RETRY_TRACE_ID;
  const retry = build(R, [
    spanOf(R, r, '1000000000000001', undefined, 'productpage', 'server', op('productpage'), 0, 182, {
      'http.status_code': 200,
      response_flags: '-',
      'http.url': 'http://productpage:9080/productpage',
    }),
    spanOf(
      R,
      r,
      '1000000000000002',
      '1000000000000001',
      'productpage',
      'client',
      op('reviews'),
      6,
      64,
      {
        'http.status_code': 503,
        response_flags: '-',
        'retry.attempt': 1,
        upstream_cluster: 'outbound|9080|v1|reviews.default.svc.cluster.local',
      },
      true,
    ),
    spanOf(
      R,
      r,
      '1000000000000003',
      '1000000000000002',
      'reviews',
      'server',
      op('reviews'),
      9,
      58,
      {
        'http.status_code': 503,
        response_flags: '-',
        'istio.canonical_revision': 'v1',
      },
      true,
    ),
    spanOf(R, r, '1000000000000004', '1000000000000001', 'productpage', 'client', op('reviews'), 96, 80, {
      'http.status_code': 200,
      response_flags: '-',
      'retry.attempt': 2,
      upstream_cluster: 'outbound|9080|v2|reviews.default.svc.cluster.local',
    }),
    spanOf(R, r, '1000000000000005', '1000000000000004', 'reviews', 'server', op('reviews'), 98, 76, {
      'http.status_code': 200,
      response_flags: '-',
      'istio.canonical_revision': 'v2',
    }),
    spanOf(R, r, '1000000000000006', '1000000000000005', 'reviews', 'client', op('ratings'), 110, 30, {
      'http.status_code': 200,
      response_flags: '-',
      'retry.attempt': 1,
    }),
    spanOf(R, r, '1000000000000007', '1000000000000006', 'ratings', 'server', op('ratings'), 112, 26, {
      'http.status_code': 200,
      response_flags: '-',
    }),
  ]);

  const f = now - 120_000;
  const F = FAULT_TRACE_ID;
  const fault = build(F, [
    spanOf(F, f, '2000000000000001', undefined, 'productpage', 'server', op('productpage'), 0, 12.4, {
      'http.status_code': 200,
      response_flags: '-',
    }),
    spanOf(
      F,
      f,
      '2000000000000002',
      '2000000000000001',
      'productpage',
      'client',
      op('ratings'),
      2.1,
      0.35,
      {
        'http.status_code': 503,
        response_flags: 'FI',
        'retry.attempt': 1,
      },
      true,
    ),
  ]);

  const o = now - 180_000;
  const ok = build(OK_TRACE_ID, [
    spanOf(OK_TRACE_ID, o, '3000000000000001', undefined, 'productpage', 'server', op('productpage'), 0, 21, {
      'http.status_code': 200,
      response_flags: '-',
    }),
    spanOf(
      OK_TRACE_ID,
      o,
      '3000000000000002',
      '3000000000000001',
      'productpage',
      'client',
      op('details'),
      3,
      7,
      {
        'http.status_code': 200,
        response_flags: '-',
        'retry.attempt': 1,
      },
    ),
    spanOf(OK_TRACE_ID, o, '3000000000000003', '3000000000000002', 'details', 'server', op('details'), 4, 5, {
      'http.status_code': 200,
      response_flags: '-',
    }),
  ]);

  const s = now - 240_000;
  const slow = build(SLOW_TRACE_ID, [
    spanOf(
      SLOW_TRACE_ID,
      s,
      '4000000000000001',
      undefined,
      'productpage',
      'server',
      op('productpage'),
      0,
      2561,
      {
        'http.status_code': 200,
        response_flags: '-',
      },
    ),
    spanOf(
      SLOW_TRACE_ID,
      s,
      '4000000000000002',
      '4000000000000001',
      'productpage',
      'client',
      op('reviews'),
      4,
      2550,
      {
        'http.status_code': 200,
        response_flags: '-',
        'retry.attempt': 1,
      },
    ),
    spanOf(
      SLOW_TRACE_ID,
      s,
      '4000000000000003',
      '4000000000000002',
      'reviews',
      'server',
      op('reviews'),
      6,
      2546,
      {
        'http.status_code': 200,
        response_flags: '-',
        'istio.canonical_revision': 'v3',
      },
    ),
  ]);
  return [retry, fault, ok, slow];
}

/** The control plane's search semantics (docs/telemetry.md): service and operation on one span. */
function search(url: URL, store: TraceDetail[]): TraceSearchResponse {
  const p = url.searchParams;
  const service = p.get('service');
  const operation = p.get('operation');
  const min = p.get('minDurationMs') ? Number(p.get('minDurationMs')) : null;
  const error = p.get('error');
  const start = p.get('start') ? Number(p.get('start')) : null;
  const limit = Math.min(Number(p.get('limit') ?? 20) || 20, 500);
  const traces = store
    .filter((t) =>
      service || operation
        ? t.spans.some((s) => (!service || s.service === service) && (!operation || s.name === operation))
        : true,
    )
    .filter((t) => min === null || t.summary.durationMs >= min)
    .filter((t) =>
      error === 'true' ? t.summary.errorCount > 0 : error === 'false' ? t.summary.errorCount === 0 : true,
    )
    .filter((t) => start === null || t.summary.startMs >= start)
    .map((t) => t.summary)
    .sort((a, b) => b.startMs - a.startMs);
  return { traces: traces.slice(0, limit), limit };
}

function services(store: TraceDetail[]): TraceServicesResponse {
  const ops = new Map<string, Set<string>>();
  for (const t of store)
    for (const s of t.spans) {
      const set = ops.get(s.service) ?? new Set<string>();
      set.add(s.name);
      ops.set(s.service, set);
    }
  return {
    services: [...ops]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, set]) => ({ name, operations: [...set].sort() })),
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Answers the service and trace APIs, or null for any other path. Scenarios: the data ones
 * (bookinfo, two-namespaces, large) serve everything; no-telemetry answers 404 for the
 * telemetry APIs (metrics, traces) while config still answers; empty has no traffic, no config
 * and no traces. down and error are handled before this is called.
 */
export function serviceAndTraceRoutes(
  url: URL,
  scenario: string,
  workloads: StubWorkload[],
): StubAnswer | null {
  const path = url.pathname;
  const telemetryMissing = scenario === 'no-telemetry';
  const empty = scenario === 'empty';

  const metrics = /^\/api\/v1\/mesh\/services\/([^/]+)\/([^/]+)\/metrics$/.exec(path);
  if (metrics) {
    if (telemetryMissing) return notFound('metrics');
    const [ns, name] = [decodeURIComponent(metrics[1]!), decodeURIComponent(metrics[2]!)];
    return { status: 200, body: serviceMetrics(url, ns, name, workloads) };
  }
  if (path === '/apis/networking.istio.io/v1/virtualservices')
    return { status: 200, body: list('VirtualService', empty ? [] : virtualServices('default')) };
  if (path === '/apis/networking.istio.io/v1/destinationrules')
    return { status: 200, body: list('DestinationRule', empty ? [] : destinationRules('default')) };

  if (
    path === '/api/v1/mesh/traces' ||
    path.startsWith('/api/v1/mesh/traces/') ||
    path === '/api/v1/mesh/trace-services'
  ) {
    if (telemetryMissing) return notFound('traces');
    const store = empty ? [] : traceStore();
    if (path === '/api/v1/mesh/traces') return { status: 200, body: search(url, store) };
    if (path === '/api/v1/mesh/trace-services') return { status: 200, body: services(store) };
    const id = decodeURIComponent(path.slice('/api/v1/mesh/traces/'.length));
    const found = store.find((t) => t.summary.traceId === id);
    return found ? { status: 200, body: found } : notFound(`trace ${id}`);
  }
  return null;
}
