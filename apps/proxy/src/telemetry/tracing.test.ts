import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ProxyConfig } from '@trellis/shared';
import {
  type App,
  cluster,
  endpoint,
  forward,
  get,
  proxyConfig,
  type Sidecar,
  startApp,
  startSidecar,
  vhost,
} from '../../test/harness';
import { incomingDecision, replaceTraceHeaders } from './trace-headers';

const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

function traced(cfg: ProxyConfig, percent = 100): ProxyConfig {
  return {
    ...cfg,
    telemetry: { accessLog: false, tracing: { samplingPercent: percent, otlpEndpoint: 'memory' } },
  };
}

interface Mesh {
  spans: InMemorySpanExporter;
  a: Sidecar;
  b: Sidecar;
  app: App;
  flush(): Promise<ReadableSpan[]>;
}

/** Sidecar A (client side) → sidecar B (inbound) → app "reviews"; spans kept in memory. */
async function mesh(
  t: { after(fn: () => Promise<void>): void },
  route: Parameters<typeof forward>[2] = {},
  percent = 100,
  handler: App['handler'] = null,
): Promise<Mesh> {
  const spans = new InMemorySpanExporter();
  const telemetry = { exporter: () => spans, exportDelayMs: 10 };
  const app = await startApp('reviews', 'v1', handler);
  const b = await startSidecar({
    workload: 'reviews-v1',
    appPort: app.port,
    labels: { app: 'reviews', version: 'v1' },
    telemetry,
    config: traced(proxyConfig('1', [], [], app.port), percent),
  });
  const c = cluster('reviews', 9080, [endpoint(b.ports.inbound, 'v1', 'reviews')]);
  const a = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    labels: { app: 'productpage', version: 'v1' },
    telemetry,
    config: traced(
      proxyConfig('1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]], route)])], [c]),
      percent,
    ),
  });
  t.after(async () => {
    await a.close(100);
    await b.close(100);
    await app.close();
  });
  return {
    spans,
    a,
    b,
    app,
    async flush() {
      // Spans end when the response body is done, just after the client got it.
      await new Promise((r) => setTimeout(r, 50));
      return spans.getFinishedSpans();
    },
  };
}

const host = 'reviews.default.svc.cluster.local:9080';
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

test('one trace across two sidecars: client span under the caller, server span under it, app under that', async (t) => {
  const m = await mesh(t);
  const r = await get(m.a.outbound, host, '/reviews/1', {
    traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`,
  });
  assert.equal(r.status, 200);
  const spans = await m.flush();
  assert.equal(spans.length, 2);
  const client = spans.find((s) => s.kind === SpanKind.CLIENT)!;
  const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
  for (const s of spans) assert.equal(s.spanContext().traceId, CLIENT_TRACE);
  assert.equal(parentOf(client), CLIENT_SPAN);
  assert.equal(parentOf(server), client.spanContext().spanId);
  assert.equal(client.name, 'reviews.default.svc.cluster.local:9080/*');
  assert.equal(client.attributes.upstream_cluster, 'outbound|9080||reviews.default.svc.cluster.local');
  assert.equal(client.attributes['http.status_code'], 200);
  assert.equal(client.attributes['retry.attempt'], 1);
  assert.equal(client.attributes.response_flags, '-');
  assert.equal(client.resource.attributes['service.name'], 'productpage.default');
  assert.equal(server.resource.attributes['service.name'], 'reviews.default');
  assert.equal(server.attributes['istio.source.workload'], 'productpage-v1');
  assert.equal(server.attributes['http.status_code'], 200);
  // The app sees the server span as its parent, in W3C and in B3.
  const seen = m.app.last!;
  assert.equal(seen.traceparent, `00-${CLIENT_TRACE}-${server.spanContext().spanId}-01`);
  assert.equal(seen['x-b3-traceid'], CLIENT_TRACE);
  assert.equal(seen['x-b3-spanid'], server.spanContext().spanId);
  assert.equal(seen['x-b3-sampled'], '1');
  // The records the sinks get name the spans.
  assert.equal(m.a.records[0]!.traceId, CLIENT_TRACE);
  assert.equal(m.a.records[0]!.spanId, client.spanContext().spanId);
});

test('B3 multi headers from the caller are honoured', async (t) => {
  const m = await mesh(t);
  await get(m.a.outbound, host, '/', {
    'x-b3-traceid': CLIENT_TRACE,
    'x-b3-spanid': CLIENT_SPAN,
    'x-b3-sampled': '1',
  });
  const spans = await m.flush();
  const client = spans.find((s) => s.kind === SpanKind.CLIENT)!;
  assert.equal(client.spanContext().traceId, CLIENT_TRACE);
  assert.equal(parentOf(client), CLIENT_SPAN);
});

test('a retry shows as two client spans under one parent; the first carries the 503', async (t) => {
  let n = 0;
  const m = await mesh(
    t,
    { retry: { attempts: 2, retryOn: ['5xx'], retriableStatusCodes: [] } },
    100,
    (_req, res) => {
      n++;
      res.writeHead(n === 1 ? 503 : 200);
      res.end(n === 1 ? 'try again' : 'ok');
    },
  );
  const r = await get(m.a.outbound, host, '/', { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` });
  assert.equal(r.status, 200);
  const spans = await m.flush();
  const tries = spans
    .filter((s) => s.kind === SpanKind.CLIENT)
    .sort((x, y) => Number(x.attributes['retry.attempt']) - Number(y.attributes['retry.attempt']));
  assert.equal(tries.length, 2);
  assert.deepEqual(
    tries.map((s) => [parentOf(s), s.attributes['retry.attempt'], s.attributes['http.status_code']]),
    [
      [CLIENT_SPAN, 1, 503],
      [CLIENT_SPAN, 2, 200],
    ],
  );
  // Each try reached the destination sidecar: one server span under each client span.
  const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
  assert.deepEqual(new Set(servers.map(parentOf)), new Set(tries.map((s) => s.spanContext().spanId)));
});

test('a fault-injected abort is a client span with response_flags FI and an error status', async (t) => {
  const m = await mesh(t, { fault: { abort: { httpStatus: 503, percent: 100 } } });
  const r = await get(m.a.outbound, host, '/', { traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01` });
  assert.equal(r.status, 503);
  const spans = await m.flush();
  assert.equal(spans.length, 1, 'the request never left sidecar A');
  const [fi] = spans;
  assert.equal(fi!.kind, SpanKind.CLIENT);
  assert.equal(fi!.attributes.response_flags, 'FI');
  assert.equal(fi!.attributes.error, true);
  assert.equal(fi!.status.code, 2);
  assert.equal(parentOf(fi!), CLIENT_SPAN);
});

test('not sampled: no spans, and the caller\'s "not sampled" passes through unchanged', async (t) => {
  const m = await mesh(t, {}, 0);
  const unsampled = `00-${CLIENT_TRACE}-${CLIENT_SPAN}-00`;
  await get(m.a.outbound, host, '/', { traceparent: unsampled });
  assert.equal(m.app.last!.traceparent, unsampled);
  await get(m.a.outbound, host, '/');
  assert.equal(m.app.last!.traceparent, undefined, 'sampling 0%: tracing is off');
  assert.equal((await m.flush()).length, 0);
});

test('the sampling roll is taken once, at the first sidecar; later ones follow it', async (t) => {
  const m = await mesh(t, {}, 50);
  const seen: (string | undefined)[] = [];
  for (let i = 0; i < 40; i++) {
    await get(m.a.outbound, host, '/');
    seen.push(m.app.last!.traceparent as string | undefined);
  }
  const spans = await m.flush();
  const sampled = seen.filter((tp) => tp?.endsWith('-01')).length;
  const unsampled = seen.filter((tp) => tp?.endsWith('-00')).length;
  assert.equal(sampled + unsampled, 40, 'every request carries a decision downstream');
  assert.ok(sampled > 5 && unsampled > 5, `50% sampling: ${sampled} sampled of 40`);
  // Each sampled request has exactly its client and its server span; unsampled ones none.
  assert.equal(spans.length, sampled * 2);
});

test('header helpers: decision without parsing, replacement drops every trace header', () => {
  assert.equal(incomingDecision(['Traceparent', `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`]), 'sampled');
  assert.equal(incomingDecision(['traceparent', `00-${CLIENT_TRACE}-${CLIENT_SPAN}-00`]), 'unsampled');
  assert.equal(incomingDecision(['b3', `${CLIENT_TRACE}-${CLIENT_SPAN}-0`]), 'unsampled');
  assert.equal(incomingDecision(['b3', '0']), 'unsampled');
  assert.equal(incomingDecision(['X-B3-TraceId', CLIENT_TRACE, 'x-b3-spanid', CLIENT_SPAN]), 'sampled');
  assert.equal(incomingDecision(['accept', '*/*']), 'none');
  const raw = ['host', 'x', 'traceparent', 'old', 'X-B3-Sampled', '1', 'tracestate', 'a=b', 'accept', '*/*'];
  assert.deepEqual(replaceTraceHeaders(raw, ['traceparent', 'new']), [
    'host',
    'x',
    'accept',
    '*/*',
    'traceparent',
    'new',
  ]);
});

test('a config push that moves the OTLP endpoint moves the export, without a restart', async (t) => {
  // Spans each exporter received (InMemorySpanExporter forgets them on shutdown, which a switch does).
  const exported = new Map<string, ReadableSpan[]>();
  const app = await startApp('reviews');
  const cfg = (endpoint: string, version: string): ProxyConfig => ({
    ...proxyConfig(version, [], [], app.port),
    telemetry: {
      accessLog: false,
      tracing: { samplingPercent: 100, otlpEndpoint: endpoint, otlpProtocol: 'http/json' },
    },
  });
  const b = await startSidecar({
    workload: 'reviews-v1',
    appPort: app.port,
    telemetry: {
      exportDelayMs: 10,
      exporter: (endpoint, protocol) => {
        const got: ReadableSpan[] = [];
        exported.set(`${protocol} ${endpoint}`, got);
        return {
          export: (spans, done) => {
            got.push(...spans);
            done({ code: 0 });
          },
          shutdown: async () => undefined,
        };
      },
    },
    config: cfg('http://first/v1/traces', '1'),
  });
  t.after(async () => {
    await b.close(100);
    await app.close();
  });
  const inbound = `http://127.0.0.1:${b.ports.inbound}`;
  await get(inbound, 'reviews:9080', '/');
  // Spans still queued at a switch would go to the new endpoint; let this one go out first.
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(b.applyConfig(cfg('http://second/v1/traces', '2')).ok);
  await get(inbound, 'reviews:9080', '/');
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(
    [...exported].map(([k, v]) => [k, v.length]),
    [
      ['http/json http://first/v1/traces', 1],
      ['http/json http://second/v1/traces', 1],
    ],
  );
});
