import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { BuiltinBackend } from './builtin-backend';
import { staticTargets } from './targets';
import { Telemetry } from './telemetry';

const LABELS = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_canonical_service',
  'source_version',
  'destination_workload',
  'destination_workload_namespace',
  'destination_canonical_service',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
];

function sidecar(version: string) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'istio_requests_total',
    help: 'h',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'istio_request_duration_milliseconds',
    help: 'h',
    labelNames: LABELS,
    buckets: [5, 10, 50, 100],
    registers: [registry],
  });
  const labels = (reporter: string, code: string) => ({
    reporter,
    source_workload: 'productpage-v1',
    source_workload_namespace: 'default',
    source_canonical_service: 'productpage',
    source_version: 'v1',
    destination_workload: `reviews-${version}`,
    destination_workload_namespace: 'default',
    destination_canonical_service: 'reviews',
    destination_version: version,
    destination_service: 'reviews.default.svc.cluster.local',
    destination_service_name: 'reviews',
    destination_service_namespace: 'default',
    request_protocol: 'http',
    response_code: code,
    grpc_response_status: '',
    response_flags: '-',
    connection_security_policy: 'mutual_tls',
  });
  return {
    registry,
    /** n requests seen by both sidecars, `errors` of them 503. */
    serve(n: number, errors: number, ms: number) {
      for (const reporter of ['source', 'destination']) {
        requests.inc(labels(reporter, '200'), n - errors);
        if (errors > 0) requests.inc(labels(reporter, '503'), errors);
        for (let i = 0; i < n; i++) duration.observe(labels(reporter, '200'), ms);
      }
    },
  };
}

async function serve(registry: Registry): Promise<Server> {
  const server = createServer(async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

test('the built-in backend scrapes sidecars and answers graph and service series', async (t) => {
  const v1 = sidecar('v1');
  const v2 = sidecar('v2');
  const s1 = await serve(v1.registry);
  const s2 = await serve(v2.registry);
  t.after(() => {
    s1.close();
    s2.close();
  });
  const addr = (s: Server) => `127.0.0.1:${(s.address() as AddressInfo).port}`;
  let now = 1_000_000;
  const targets = staticTargets([
    {
      id: 'reviews-v1',
      address: addr(s1),
      namespace: 'default',
      workload: 'reviews-v1',
      app: 'reviews',
      version: 'v1',
    },
    {
      id: 'reviews-v2',
      address: addr(s2),
      namespace: 'default',
      workload: 'reviews-v2',
      app: 'reviews',
      version: 'v2',
    },
    {
      id: 'gone',
      address: '127.0.0.1:1',
      namespace: 'default',
      workload: 'gone',
      app: 'gone',
      version: 'v1',
    },
  ]);
  // Time is driven by hand: the scraper stamps samples with this clock.
  const backend = new BuiltinBackend({ source: targets, intervalMs: 5000, now: () => now });
  const telemetry = new Telemetry(backend, () => now);

  // 60 s of traffic: v1 30 rps (10% errors) at 8 ms, v2 10 rps at 40 ms, scraped every 5 s.
  for (let i = 0; i <= 12; i++) {
    await backend.scraper.scrapeOnce();
    v1.serve(150, 15, 8);
    v2.serve(50, 0, 40);
    now += 5000;
  }
  now -= 5000;

  const g = await telemetry.graph({ windowSeconds: 30 });
  assert.equal(g.backend, 'builtin');
  assert.deepEqual(
    g.edges.map((e) => e.target),
    ['workload:default/reviews-v1', 'workload:default/reviews-v2'],
  );
  const [e1, e2] = g.edges;
  assert.ok(Math.abs(e1!.rps - 30) < 0.5, `v1 rps ${e1!.rps}`);
  assert.ok(Math.abs(e1!.errorRate! - 0.1) < 0.01);
  assert.ok(e1!.p50Ms! > 5 && e1!.p50Ms! <= 10);
  assert.ok(Math.abs(e2!.rps - 10) < 0.5, `v2 rps ${e2!.rps}`);
  assert.ok(e2!.p50Ms! > 10 && e2!.p50Ms! <= 50);
  assert.equal(e1!.mtlsShare, 1);

  const m = await telemetry.serviceMetrics({
    namespace: 'default',
    service: 'reviews',
    rangeSeconds: 40,
    stepSeconds: 10,
    reporter: 'destination',
  });
  assert.equal(m.service.hostname, 'reviews.default.svc.cluster.local');
  assert.deepEqual(
    m.versions.map((v) => v.version),
    ['v1', 'v2'],
  );
  assert.equal(m.total.points.length, 5);
  const last = m.total.points.at(-1)!;
  assert.ok(Math.abs(last.rps - 40) < 1, `total rps ${last.rps}`);
  assert.ok(Math.abs(m.versions[0]!.points.at(-1)!.rps - 30) < 1);

  const status = telemetry.scraperStatus();
  assert.equal(status.targets, 3);
  assert.equal(status.healthyTargets, 2, 'the unreachable target is reported, not fatal');
  assert.ok(status.seriesHeld > 0 && status.seriesHeld <= status.maxSeries);
});
