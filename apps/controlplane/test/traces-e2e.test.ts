/**
 * Traces end to end with real processes: apps instrumented with the OpenTelemetry JS SDK call
 * each other through two `trellis proxy` sidecars; the apps' spans (OTLP JSON and protobuf) and
 * the sidecars' spans meet in the control plane's built-in collector as one trace, found by
 * the search API. Retries and a fault-injected abort show as Istio users expect.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ServiceGraph, TraceDetail, TraceSearchResponse, TraceSpan } from '@trellis/shared';
import {
  type ControlPlane,
  getJson,
  newAgent,
  reservePorts,
  type Sidecar,
  spawnProc,
  startControlPlane,
  startSidecar,
  type TestContext,
  until,
  untilRoutable,
  viaInbound,
} from './telemetry-support';

const BACKEND = 'backend.default.svc.cluster.local';
const APP = join(import.meta.dirname, 'traces-app.ts');

async function startTracedApp(
  t: TestContext,
  cp: ControlPlane,
  port: number,
  name: string,
  protocol: 'json' | 'proto',
  next?: { url: string; outbound: number },
): Promise<void> {
  const args = ['--import', 'tsx', APP, String(port), name, `${cp.url}/v1/traces`, protocol];
  if (next) args.push(next.url, String(next.outbound));
  const proc = spawnProc(t, name, process.execPath, args);
  await until(`${name} to listen`, () => proc.output().includes(`listening ${port}`), 30_000, 100, [proc]);
}

interface Mesh {
  cp: ControlPlane;
  frontend: Sidecar;
  backend: Sidecar;
}

async function mesh(t: TestContext): Promise<Mesh> {
  const cp = await startControlPlane(t, { TRELLIS_TRACING_SAMPLING: '100', TRELLIS_SCRAPE_INTERVAL: '1s' });
  const [fePort = 0, bePort = 0] = await reservePorts(2);
  const [frontend, backend] = await Promise.all([
    startSidecar(t, cp, { workload: 'frontend-v1', app: 'frontend', version: 'v1', appPort: fePort }),
    startSidecar(t, cp, { workload: 'backend-v1', app: 'backend', version: 'v1', appPort: bePort }),
  ]);
  await Promise.all([
    startTracedApp(t, cp, fePort, 'frontend-app', 'json', {
      url: `http://${BACKEND}:9080`,
      outbound: frontend.outbound,
    }),
    startTracedApp(t, cp, bePort, 'backend-app', 'proto'),
  ]);
  await untilRoutable(frontend, BACKEND);
  return { cp, frontend, backend };
}

async function traceWith(cp: ControlPlane, query: string, spans: number): Promise<TraceDetail> {
  const id = await until(
    `a trace (${query}) with ${spans} spans`,
    async () => {
      const r = await getJson<TraceSearchResponse>(`${cp.url}/api/v1/mesh/traces?${query}`);
      return r.body.traces.find((x) => x.spanCount >= spans)?.traceId;
    },
    20_000,
    200,
  );
  const detail = await getJson<TraceDetail>(`${cp.url}/api/v1/mesh/traces/${id}`);
  assert.equal(detail.status, 200);
  return detail.body;
}

function only(spans: TraceSpan[], what: string, pred: (s: TraceSpan) => boolean): TraceSpan {
  const found = spans.filter(pred);
  assert.equal(
    found.length,
    1,
    `exactly one ${what}: ${JSON.stringify(spans.map((s) => [s.service, s.kind, s.name]))}`,
  );
  return found[0]!;
}

test('an OpenTelemetry-instrumented app through two sidecars: one trace, correct parents, found by search', async (t) => {
  const { cp, frontend } = await mesh(t);
  const agent = newAgent(t);
  const r = await viaInbound(agent, frontend.inbound, 'frontend:9080', '/front');
  assert.equal(r.status, 200, r.body);

  const trace = await traceWith(cp, 'service=backend-app', 6);
  const spans = trace.spans;
  assert.equal(spans.length, 6);
  assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
  const feSidecar = only(
    spans,
    'frontend sidecar server span',
    (s) => s.service === 'frontend.default' && s.kind === 'server',
  );
  const feServer = only(
    spans,
    'frontend app server span',
    (s) => s.service === 'frontend-app' && s.kind === 'server',
  );
  const feClient = only(
    spans,
    'frontend app client span',
    (s) => s.service === 'frontend-app' && s.kind === 'client',
  );
  const feTry = only(
    spans,
    'frontend sidecar client span',
    (s) => s.service === 'frontend.default' && s.kind === 'client',
  );
  const beSidecar = only(
    spans,
    'backend sidecar server span',
    (s) => s.service === 'backend.default' && s.kind === 'server',
  );
  const beServer = only(spans, 'backend app server span', (s) => s.service === 'backend-app');
  assert.equal(feSidecar.parentSpanId, undefined, 'the trace starts at the first sidecar');
  assert.equal(feServer.parentSpanId, feSidecar.spanId);
  assert.equal(feClient.parentSpanId, feServer.spanId);
  assert.equal(feTry.parentSpanId, feClient.spanId);
  assert.equal(beSidecar.parentSpanId, feTry.spanId);
  assert.equal(beServer.parentSpanId, beSidecar.spanId);
  assert.equal(trace.summary.rootService, 'frontend.default');
  // Istio-like tags on the sidecar spans.
  assert.equal(feTry.attributes.upstream_cluster, `outbound|9080||${BACKEND}`);
  assert.equal(feTry.attributes['http.status_code'], 200);
  assert.equal(feTry.attributes.response_flags, '-');
  assert.equal(beSidecar.attributes['istio.source.workload'], 'frontend-v1');
  assert.match(String(beSidecar.attributes['peer.principal']), /^(unknown|spiffe:\/\/.+)$/);

  // The search API finds it by service, operation and duration, and not by an error filter.
  const ids = async (q: string) =>
    (await getJson<TraceSearchResponse>(`${cp.url}/api/v1/mesh/traces?${q}`)).body.traces.map(
      (x) => x.traceId,
    );
  assert.ok((await ids('service=frontend.default')).includes(trace.summary.traceId));
  assert.ok(
    (await ids(`service=backend-app&operation=${encodeURIComponent('GET /front')}`)).includes(
      trace.summary.traceId,
    ),
  );
  assert.ok((await ids('minDurationMs=0&limit=50')).includes(trace.summary.traceId));
  assert.ok(!(await ids('error=true')).includes(trace.summary.traceId));
  assert.ok(
    !(await ids(`minDurationMs=${trace.summary.durationMs + 60_000}`)).includes(trace.summary.traceId),
  );
  const services = await getJson<{ services: { name: string }[] }>(`${cp.url}/api/v1/mesh/trace-services`);
  assert.deepEqual(
    services.body.services.map((s) => s.name),
    ['backend-app', 'backend.default', 'frontend-app', 'frontend.default'],
  );
  const missing = await fetch(`${cp.url}/api/v1/mesh/traces/${'0'.repeat(31)}1`);
  assert.equal(missing.status, 404);
});

test('a retry is two client spans under one server span; a fault abort carries FI', async (t) => {
  const { cp, frontend } = await mesh(t);
  const vs = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'backend', namespace: 'default' },
    spec: {
      hosts: ['backend'],
      http: [
        {
          match: [{ uri: { prefix: '/fault' } }],
          fault: { abort: { percentage: { value: 100 }, httpStatus: 503 } },
          route: [{ destination: { host: 'backend' } }],
        },
        { retries: { attempts: 2, retryOn: '5xx' }, route: [{ destination: { host: 'backend' } }] },
      ],
    },
  };
  const created = await fetch(`${cp.url}/apis/networking.istio.io/v1/namespaces/default/virtualservices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(vs),
  });
  assert.equal(created.status, 201, await created.text());
  await until('the frontend sidecar to get the fault route', async () => {
    const r = await fetch(`http://127.0.0.1:${frontend.admin}/config_dump`);
    return (await r.text()).includes('"fault"');
  });
  const agent = newAgent(t);

  // The frontend app passes its server span's context on (no client span of its own).
  const retried = await viaInbound(agent, frontend.inbound, 'frontend:9080', '/direct/flaky?id=1');
  assert.equal(retried.status, 200, 'the retry hid the first 500');
  const trace = await traceWith(
    cp,
    `service=frontend-app&operation=${encodeURIComponent('GET /direct/flaky')}`,
    1,
  );
  const full = await until('the retried trace complete', async () => {
    const d = await getJson<TraceDetail>(`${cp.url}/api/v1/mesh/traces/${trace.summary.traceId}`);
    // Sidecar server, app server, two tries, and per try the backend sidecar and app spans.
    return d.body.spans.length >= 8 ? d.body : undefined;
  });
  const appServer = only(
    full.spans,
    'frontend app server span',
    (s) => s.service === 'frontend-app' && s.kind === 'server',
  );
  const tries = full.spans
    .filter((s) => s.service === 'frontend.default' && s.kind === 'client')
    .sort((a, b) => Number(a.attributes['retry.attempt']) - Number(b.attributes['retry.attempt']));
  assert.equal(tries.length, 2);
  assert.deepEqual(
    tries.map((s) => [
      s.parentSpanId,
      s.attributes['retry.attempt'],
      s.attributes['http.status_code'],
      s.status,
    ]),
    [
      [appServer.spanId, 1, 500, 'error'],
      [appServer.spanId, 2, 200, 'unset'],
    ],
  );
  assert.equal(appServer.kind, 'server');
  // Each try reached the backend sidecar.
  const backendServers = full.spans.filter((s) => s.service === 'backend.default' && s.kind === 'server');
  assert.deepEqual(new Set(backendServers.map((s) => s.parentSpanId)), new Set(tries.map((s) => s.spanId)));

  const aborted = await viaInbound(agent, frontend.inbound, 'frontend:9080', '/fault');
  assert.equal(aborted.status, 503);
  const faultTrace = await traceWith(
    cp,
    `service=frontend-app&operation=${encodeURIComponent('GET /fault')}&error=true`,
    4,
  );
  const fi = only(
    faultTrace.spans,
    'fault span',
    (s) => s.service === 'frontend.default' && s.kind === 'client',
  );
  assert.equal(fi.attributes.response_flags, 'FI');
  assert.equal(fi.attributes['http.status_code'], 503);
  assert.equal(fi.status, 'error');
  assert.ok(
    !faultTrace.spans.some((s) => s.service.startsWith('backend')),
    'an aborted request never reaches the backend',
  );

  // The metrics say the same: the graph's edge from frontend to the backend service carries FI.
  // A rate needs the counter to grow between scrapes, so aborts keep coming while we wait.
  const graph = await until(
    'the FI flag in the graph',
    async () => {
      await viaInbound(agent, frontend.inbound, 'frontend:9080', '/fault');
      const g = await getJson<ServiceGraph>(`${cp.url}/api/v1/mesh/graph?window=60s`);
      return g.body.edges.some((e) => (e.responseFlags.FI ?? 0) > 0) ? g.body : undefined;
    },
    30_000,
    500,
  );
  const fiEdge = graph.edges.find((e) => (e.responseFlags.FI ?? 0) > 0)!;
  assert.equal(fiEdge.source, 'workload:default/frontend-v1');
  assert.equal(fiEdge.target, `service:${BACKEND}`, 'no workload answered an aborted request');
});
