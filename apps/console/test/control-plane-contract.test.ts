/**
 * The service page's and the traces pages' view models against a real `trellis controlplane`
 * (not the Playwright stub): its answers must parse with the console's schemas, and the pure
 * joins must see what was put in. One sidecar (reviews-v1) carries real requests so the metrics
 * have a version series; VirtualService and DestinationRule go in through the Kubernetes-style
 * API; spans go in over OTLP/HTTP JSON as a sidecar would send them (a retry and a fault abort).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { proxyFlags, reservePorts, spawnProcess, waitUntil } from '@trellis/testkit';
import { configFor } from '../src/features/service/server/config';
import { endpointsOf } from '../src/features/service/server/endpoints';
import { meshListSchema, serviceMetricsSchema } from '../src/features/service/server/schemas';
import { buildMetricsView } from '../src/features/service/server/series';
import {
  traceDetailSchema,
  traceSearchSchema,
  traceServicesSchema,
} from '../src/features/traces/server/schemas';
import { layoutWaterfall } from '../src/features/traces/server/waterfall';
import { proxyStatusListSchema as proxiesSchema } from '../src/lib/wire/proxy-status';

const TRELLIS = fileURLToPath(new URL('../../cli/bin/trellis.mjs', import.meta.url));
const TRACE = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const REVIEWS = 'reviews.default.svc.cluster.local';

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  return { status: res.status, body: await res.json() };
}

async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.body?.cancel();
  return res.status;
}

const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: String(v) } });

/** A sidecar-shaped retry: two client tries under productpage's server span, the first a 503; then a fault abort. */
function otlpSpans() {
  const t0 = BigInt(Date.now() - 5_000) * 1_000_000n;
  const ms = (n: number) => String(t0 + BigInt(Math.round(n * 1000)) * 1000n);
  const span = (
    spanId: string,
    parentSpanId: string | undefined,
    kind: number,
    name: string,
    from: number,
    to: number,
    attributes: unknown[],
    error = false,
  ) => ({
    traceId: TRACE,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind,
    startTimeUnixNano: ms(from),
    endTimeUnixNano: ms(to),
    attributes,
    status: { code: error ? 2 : 0 },
  });
  const resource = (service: string, spans: unknown[]) => ({
    resource: { attributes: [str('service.name', service)] },
    scopeSpans: [{ scope: { name: 'trellis-proxy' }, spans }],
  });
  return {
    resourceSpans: [
      resource('productpage.default', [
        span('00000000000000a1', undefined, 2, 'productpage.default.svc.cluster.local:9080/*', 0, 100, [
          int('http.status_code', 200),
          str('response_flags', '-'),
        ]),
        span(
          '00000000000000a2',
          '00000000000000a1',
          3,
          `${REVIEWS}:9080/*`,
          5,
          40,
          [int('http.status_code', 503), str('response_flags', '-'), int('retry.attempt', 1)],
          true,
        ),
        span('00000000000000a4', '00000000000000a1', 3, `${REVIEWS}:9080/*`, 45, 90, [
          int('http.status_code', 200),
          str('response_flags', '-'),
          int('retry.attempt', 2),
        ]),
        span(
          '00000000000000a6',
          '00000000000000a1',
          3,
          'ratings.default.svc.cluster.local:9080/*',
          91,
          91.4,
          [int('http.status_code', 503), str('response_flags', 'FI')],
          true,
        ),
      ]),
      resource('reviews.default', [
        span(
          '00000000000000a3',
          '00000000000000a2',
          2,
          `${REVIEWS}:9080/*`,
          6,
          39,
          [int('http.status_code', 503)],
          true,
        ),
        span('00000000000000a5', '00000000000000a4', 2, `${REVIEWS}:9080/*`, 46, 89, [
          int('http.status_code', 200),
        ]),
      ]),
    ],
  };
}

test('the real control plane answers what the service and traces views are built from', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-console-contract-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  const app = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('reviews-v1');
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => app.close(() => r())));
  const appPort = (app.address() as AddressInfo).port;

  const [http, grpc, inbound = 0, outbound = 0, admin = 0, metrics = 0] = await reservePorts(6);
  const cp = spawnProcess(t, 'controlplane', process.execPath, [
    TRELLIS,
    'controlplane',
    '--data-dir',
    dataDir,
    '--port',
    String(http),
    '--grpc-port',
    String(grpc),
  ]);
  const api = await waitUntil(
    'the control plane to be ready',
    () => /^ready (\S+)$/m.exec(cp.output())?.[1],
    {
      timeoutMs: 90_000,
      procs: [cp],
    },
  );
  const sidecar = spawnProcess(t, 'reviews-v1', process.execPath, [
    TRELLIS,
    'proxy',
    ...proxyFlags({
      grpc: `127.0.0.1:${grpc}`,
      workload: 'reviews-v1',
      app: 'reviews',
      version: 'v1',
      service: 'reviews:9080',
      appPort,
      ports: { inbound, outbound, admin, metrics },
      joinTokenFile: join(dataDir, 'join-token'),
    }),
  ]);

  // Config through the Kubernetes-style API, as kubectl apply would create it.
  const vsPath = '/apis/networking.istio.io/v1/namespaces/default/virtualservices';
  assert.equal(
    await post(`${api}${vsPath}`, {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
    }),
    201,
  );
  assert.equal(
    await post(`${api}/apis/networking.istio.io/v1/namespaces/default/destinationrules`, {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        host: 'reviews',
        trafficPolicy: { outlierDetection: { consecutive5xxErrors: 2, interval: '5s' } },
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      },
    }),
    201,
  );
  assert.equal(await post(`${api}/v1/traces`, otlpSpans()), 200);

  // Endpoints: the sidecar, once it has its config, is reviews' SYNCED endpoint.
  const endpoints = await waitUntil(
    'reviews-v1 to be SYNCED',
    async () => {
      const { body } = await getJson(`${api}/api/v1/mesh/proxies`);
      const rows = endpointsOf(proxiesSchema.parse(body), { namespace: 'default', name: 'reviews' }, null);
      return rows[0]?.state === 'SYNCED' ? rows : undefined;
    },
    { timeoutMs: 90_000, everyMs: 250, procs: [cp, sidecar] },
  );
  assert.deepEqual(
    endpoints.map((e) => [e.workload, e.version, e.matchedBy]),
    // The sidecar lists its services (--service reviews:9080), which is what the page matches on.
    [['reviews-v1', 'v1', 'service']],
  );
  assert.notEqual(endpoints[0]!.configVersion, '');

  // Config: both objects name reviews; the YAML is the stored object.
  const vs = meshListSchema.parse((await getJson(`${api}/apis/networking.istio.io/v1/virtualservices`)).body);
  const dr = meshListSchema.parse(
    (await getJson(`${api}/apis/networking.istio.io/v1/destinationrules`)).body,
  );
  const vsFound = configFor('VirtualService', vs.items, REVIEWS);
  const drFound = configFor('DestinationRule', dr.items, REVIEWS);
  assert.deepEqual(
    vsFound.map((c) => [c.name, c.matchedHosts, c.generation]),
    [['reviews', ['reviews'], 1]],
  );
  assert.match(vsFound[0]!.yaml, /subset: v1/);
  assert.deepEqual(drFound[0]!.outlierDetection, [
    { scope: 'trafficPolicy', settings: { consecutive5xxErrors: 2, interval: '5s' } },
  ]);
  assert.deepEqual(configFor('VirtualService', vs.items, 'ratings.default.svc.cluster.local'), []);

  // Metrics: real requests into the sidecar show as reviews' v1 series (two scrapes make a rate).
  const view = await waitUntil(
    'reviews v1 traffic in the metrics',
    async () => {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`http://127.0.0.1:${inbound}/reviews/0`, {
          headers: { host: 'reviews:9080' },
        });
        await res.body?.cancel();
      }
      const { status, body } = await getJson(`${api}/api/v1/mesh/services/default/reviews/metrics?range=5m`);
      assert.equal(status, 200);
      const v = buildMetricsView(serviceMetricsSchema.parse(body), '5m');
      return v.summary.some((s) => s.label === 'v1' && s.rps > 0) ? v : undefined;
    },
    { timeoutMs: 90_000, everyMs: 1_000, procs: [cp, sidecar] },
  );
  assert.deepEqual(
    view.series.map((s) => s.label),
    ['total', 'v1'],
  );
  assert.equal(view.service.hostname, REVIEWS);
  assert.ok(view.charts.rps.length > 0);
  assert.ok(view.charts.rps.every((row) => 's0' in row && 's1' in row));
  assert.equal(view.summary.find((s) => s.label === 'v1')!.errorRate, 0);

  // Traces: search, services and the waterfall of the retry.
  const search = traceSearchSchema.parse(
    (await getJson(`${api}/api/v1/mesh/traces?service=reviews.default&error=true&limit=5`)).body,
  );
  assert.deepEqual(
    search.traces.map((s) => s.traceId),
    [TRACE],
  );
  const services = traceServicesSchema.parse((await getJson(`${api}/api/v1/mesh/trace-services`)).body);
  assert.deepEqual(services.services.map((s) => s.name).sort(), ['productpage.default', 'reviews.default']);
  const detail = traceDetailSchema.parse((await getJson(`${api}/api/v1/mesh/traces/${TRACE}`)).body);
  const w = layoutWaterfall(detail.spans);
  assert.deepEqual(
    w.rows.map((r) => [r.spanId.slice(-2), r.depth, r.error, r.retryAttempt, r.responseFlags.join()]),
    [
      ['a1', 0, false, null, ''],
      ['a2', 1, true, 1, ''],
      ['a3', 2, true, null, ''],
      ['a4', 1, false, 2, ''],
      ['a5', 2, false, null, ''],
      ['a6', 1, true, null, 'FI'],
    ],
  );
  assert.ok(w.durationMs >= 99 && w.durationMs <= 101, `trace lasts about 100 ms, got ${w.durationMs}`);
  assert.equal((await getJson(`${api}/api/v1/mesh/traces/${'0'.repeat(31)}1`)).status, 404);
});
