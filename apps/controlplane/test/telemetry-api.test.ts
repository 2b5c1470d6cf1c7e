/**
 * The telemetry component on the control plane's HTTP port, in process: the OTLP/HTTP receiver
 * (encodings, compression, errors), trace search and detail, Prometheus SD, the graph and
 * service-metrics routes with their parameter checks, and a Prometheus that does not answer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type {
  PrometheusSdTargetGroup,
  ProxyIdentity,
  ServiceGraph,
  ServiceMetrics,
  TelemetryStatus,
  TraceDetail,
  TraceSearchResponse,
} from '@trellis/shared';
import { silentLogger, startControlPlane } from '../src/server';
import { telemetryComponent } from '../src/telemetry/component';

const TRACE = '5b8efff798038103d269b633813fc60c';

function proxy(id: string, metricsAddress?: string): ProxyIdentity {
  const [workload = id, namespace = 'default'] = id.split('.');
  return {
    id,
    workload,
    namespace,
    serviceAccount: workload,
    labels: { app: workload.replace(/-v\d+$/, ''), version: 'v1' },
    services: [{ name: workload.replace(/-v\d+$/, ''), port: 9080 }],
    inboundAddress: '127.0.0.1:1',
    ...(metricsAddress ? { metricsAddress } : {}),
  };
}

function otlpJson(spans: { spanId: string; parentSpanId?: string; name: string; error?: boolean }[]) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s, i) => ({
              traceId: TRACE,
              spanId: s.spanId,
              ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
              name: s.name,
              kind: 2,
              startTimeUnixNano: String(now + BigInt(i) * 1_000_000n),
              endTimeUnixNano: String(now + BigInt(i + 10) * 1_000_000n),
              status: { code: s.error ? 2 : 0 },
            })),
          },
        ],
      },
    ],
  };
}

async function setup(
  t: { after(fn: () => Promise<void> | void): void },
  extra: { prometheusUrl?: string } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-telemetry-api-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const metrics = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('# TYPE istio_requests_total counter\n');
  });
  await new Promise<void>((r) => metrics.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => metrics.close(() => r())));
  const metricsAddress = `127.0.0.1:${(metrics.address() as AddressInfo).port}`;
  const component = telemetryComponent({
    proxies: () => [proxy('reviews-v1.default', metricsAddress), proxy('legacy-v1.default')],
    env: false,
    builtin: { intervalMs: 200 },
    ...extra,
  });
  const cp = await startControlPlane({ dataDir, port: 0, components: [component], log: silentLogger });
  t.after(() => cp.stop());
  return { url: cp.url, metricsAddress, component };
}

test('OTLP/HTTP: JSON, gzip and protobuf are stored; bad input answers with a Status', async (t) => {
  const { url } = await setup(t);
  const post = (body: Buffer | string, headers: Record<string, string>) =>
    fetch(`${url}/v1/traces`, { method: 'POST', headers, body });

  const ok = await post(JSON.stringify(otlpJson([{ spanId: '0000000000000001', name: 'GET /cart' }])), {
    'content-type': 'application/json',
  });
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get('content-type') ?? '', /application\/json/);
  assert.deepEqual(await ok.json(), {});

  const zipped = await post(
    gzipSync(
      JSON.stringify(
        otlpJson([{ spanId: '0000000000000002', parentSpanId: '0000000000000001', name: 'db', error: true }]),
      ),
    ),
    { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  );
  assert.equal(zipped.status, 200);

  // Protobuf, encoded with the OTLP message types themselves.
  const require = createRequire(import.meta.url);
  const root = require('otlp-transformer-protobuf/build/src/generated/root.js') as {
    opentelemetry: {
      proto: {
        collector: {
          trace: {
            v1: {
              ExportTraceServiceRequest: {
                fromObject(o: unknown): object;
                encode(m: object): { finish(): Uint8Array };
              };
            };
          };
        };
      };
    };
  };
  const type = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  const pbBody = otlpJson([{ spanId: '0000000000000003', parentSpanId: '0000000000000001', name: 'cache' }]);
  const span = pbBody.resourceSpans[0]!.scopeSpans[0]!.spans[0]! as Record<string, unknown>;
  span.traceId = Buffer.from(TRACE, 'hex');
  span.spanId = Buffer.from('0000000000000003', 'hex');
  span.parentSpanId = Buffer.from('0000000000000001', 'hex');
  const pb = await post(Buffer.from(type.encode(type.fromObject(pbBody)).finish()), {
    'content-type': 'application/x-protobuf',
  });
  assert.equal(pb.status, 200);
  assert.match(pb.headers.get('content-type') ?? '', /application\/x-protobuf/);

  const detail = (await (await fetch(`${url}/api/v1/mesh/traces/${TRACE}`)).json()) as TraceDetail;
  assert.deepEqual(
    detail.spans.map((s) => [s.name, s.parentSpanId ?? null]),
    [
      ['GET /cart', null],
      ['db', '0000000000000001'],
      ['cache', '0000000000000001'],
    ],
  );
  assert.equal(detail.summary.errorCount, 1);
  assert.equal(detail.summary.rootOperation, 'GET /cart');

  const partial = await post(JSON.stringify(otlpJson([{ spanId: 'zz', name: 'bad id' }])), {
    'content-type': 'application/json',
  });
  assert.equal(partial.status, 200);
  assert.equal(
    ((await partial.json()) as { partialSuccess: { rejectedSpans: number } }).partialSuccess.rejectedSpans,
    1,
  );

  const unsupported = await post('x', { 'content-type': 'text/plain' });
  assert.equal(unsupported.status, 415);
  const badJson = await post('{nope', { 'content-type': 'application/json' });
  assert.equal(badJson.status, 400);
  assert.equal(((await badJson.json()) as { code: number }).code, 3);
  const badPb = await post(Buffer.from([0x0a, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' });
  assert.equal(badPb.status, 400);
});

test('trace search and detail routes check their parameters', async (t) => {
  const { url } = await setup(t);
  await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(otlpJson([{ spanId: '0000000000000001', name: 'GET /cart', error: true }])),
  });
  const found = (await (
    await fetch(`${url}/api/v1/mesh/traces?service=checkout&error=true`)
  ).json()) as TraceSearchResponse;
  assert.deepEqual(
    found.traces.map((x) => x.traceId),
    [TRACE],
  );
  const none = (await (await fetch(`${url}/api/v1/mesh/traces?service=other`)).json()) as TraceSearchResponse;
  assert.equal(none.traces.length, 0);
  assert.equal((await fetch(`${url}/api/v1/mesh/traces?error=maybe`)).status, 400);
  assert.equal((await fetch(`${url}/api/v1/mesh/traces?minDurationMs=-1`)).status, 400);
  assert.equal((await fetch(`${url}/api/v1/mesh/traces/not-an-id`)).status, 400);
  const missing = await fetch(`${url}/api/v1/mesh/traces/${'a'.repeat(32)}`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { kind: string }).kind, 'Status');
});

test('Prometheus SD lists sidecars with a metrics address; graph and metrics routes answer', async (t) => {
  const { url, metricsAddress } = await setup(t);
  const sd = (await (await fetch(`${url}/api/v1/sd/prometheus`)).json()) as PrometheusSdTargetGroup[];
  assert.deepEqual(sd, [
    {
      targets: [metricsAddress],
      labels: {
        __metrics_path__: '/metrics',
        namespace: 'default',
        workload: 'reviews-v1',
        app: 'reviews',
        version: 'v1',
        trellis_proxy: 'reviews-v1.default',
      },
    },
  ]);

  const graph = await fetch(`${url}/api/v1/mesh/graph?window=5m`);
  assert.equal(graph.status, 200);
  const g = (await graph.json()) as ServiceGraph;
  assert.equal(g.backend, 'builtin');
  assert.equal(g.window.windowSeconds, 300);
  assert.deepEqual(g.edges, []);
  assert.equal((await fetch(`${url}/api/v1/mesh/graph?window=soon`)).status, 400);
  assert.equal((await fetch(`${url}/api/v1/mesh/graph?window=0s`)).status, 400);

  const m = await fetch(`${url}/api/v1/mesh/services/default/reviews/metrics?range=10m&step=1m`);
  assert.equal(m.status, 200);
  const metrics = (await m.json()) as ServiceMetrics;
  assert.equal(metrics.service.hostname, 'reviews.default.svc.cluster.local');
  assert.equal(metrics.total.points.length, 11);
  assert.ok(metrics.total.points.every((p) => p.rps === 0 && p.errorRate === null && p.p99Ms === null));
  assert.equal(
    (await fetch(`${url}/api/v1/mesh/services/default/reviews/metrics?reporter=both`)).status,
    400,
  );

  const status = (await (await fetch(`${url}/api/v1/mesh/telemetry`)).json()) as TelemetryStatus;
  assert.equal(status.backend, 'builtin');
  assert.equal(status.scraper.targets, 1);
});

test('a Prometheus that does not answer is a 503 Status, not a crash', async (t) => {
  const { url } = await setup(t, { prometheusUrl: 'http://127.0.0.1:1' });
  const r = await fetch(`${url}/api/v1/mesh/graph`);
  assert.equal(r.status, 503);
  const body = (await r.json()) as { message: string };
  assert.match(body.message, /Prometheus at http:\/\/127\.0\.0\.1:1 did not answer/);
  const status = (await (await fetch(`${url}/api/v1/mesh/telemetry`)).json()) as TelemetryStatus;
  assert.equal(status.backend, 'prometheus');
  assert.equal(status.prometheusUrl, 'http://127.0.0.1:1');
});
