import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceSpan } from '@trellis/shared';
import { TraceStore } from './store';

let seq = 0;
function span(traceNo: number, over: Partial<TraceSpan> = {}): TraceSpan {
  seq++;
  return {
    traceId: traceNo.toString(16).padStart(32, '0'),
    spanId: seq.toString(16).padStart(16, '0'),
    name: 'op',
    kind: 'server',
    service: 'svc',
    startMs: 1000 + traceNo,
    durationMs: 10,
    status: 'unset',
    attributes: {},
    resource: {},
    events: [],
    ...over,
  };
}

test('a trace is summarised from its root, and detail orders parents first', () => {
  const store = new TraceStore();
  const root = span(1, { name: 'GET /productpage', service: 'productpage', startMs: 100, durationMs: 50 });
  const child = span(1, {
    parentSpanId: root.spanId,
    service: 'productpage',
    name: 'reviews',
    kind: 'client',
    startMs: 100,
    durationMs: 30,
  });
  const grandchild = span(1, {
    parentSpanId: child.spanId,
    service: 'reviews',
    startMs: 110,
    durationMs: 45,
  });
  // Arrival order differs from causal order, as with several exporters.
  store.add([grandchild]);
  store.add([child, root]);
  const detail = store.get(root.traceId)!;
  assert.deepEqual(
    detail.spans.map((s) => s.spanId),
    [root.spanId, child.spanId, grandchild.spanId],
  );
  assert.equal(detail.summary.rootService, 'productpage');
  assert.equal(detail.summary.rootOperation, 'GET /productpage');
  assert.equal(detail.summary.spanCount, 3);
  assert.equal(detail.summary.durationMs, 55);
  assert.deepEqual(detail.summary.services, [
    { name: 'productpage', spanCount: 2 },
    { name: 'reviews', spanCount: 1 },
  ]);
  assert.equal(store.get('f'.repeat(32)), undefined);
});

test('duplicate spans (an exporter retry) are stored once', () => {
  const store = new TraceStore();
  const s = span(2);
  store.add([s]);
  store.add([s]);
  assert.equal(store.size.spans, 1);
});

test('search filters by service, operation, duration, error and time; newest first; limit', () => {
  const store = new TraceStore();
  store.add([span(10, { service: 'a', name: 'x', durationMs: 5, startMs: 1000 })]);
  store.add([span(11, { service: 'b', name: 'y', durationMs: 500, startMs: 2000 })]);
  store.add([span(12, { service: 'a', name: 'y', durationMs: 50, startMs: 3000, status: 'error' })]);
  const ids = (r: { traces: { traceId: string }[] }) => r.traces.map((t) => Number.parseInt(t.traceId, 16));
  assert.deepEqual(ids(store.search({})), [12, 11, 10]);
  assert.deepEqual(ids(store.search({ service: 'a' })), [12, 10]);
  assert.deepEqual(ids(store.search({ service: 'a', operation: 'y' })), [12]);
  assert.deepEqual(ids(store.search({ minDurationMs: 40 })), [12, 11]);
  assert.deepEqual(ids(store.search({ maxDurationMs: 40 })), [10]);
  assert.deepEqual(ids(store.search({ error: true })), [12]);
  assert.deepEqual(ids(store.search({ error: false })), [11, 10]);
  assert.deepEqual(ids(store.search({ startMs: 1500, endMs: 2500 })), [11]);
  assert.deepEqual(ids(store.search({ limit: 1 })), [12]);
  assert.deepEqual(store.services().services, [
    { name: 'a', operations: ['x', 'y'] },
    { name: 'b', operations: ['y'] },
  ]);
});

test('the span bound evicts whole traces, least recently updated first', () => {
  const store = new TraceStore({ maxSpans: 10 });
  for (let t = 1; t <= 6; t++) store.add([span(t), span(t)]);
  // 12 spans offered, at most 10 kept: trace 1 went whole.
  const { spans, traces } = store.size;
  assert.ok(spans <= 10);
  assert.equal(traces, 5);
  assert.equal(store.get(span(1).traceId), undefined);
  // Updating trace 2 makes it recent: the next overflow evicts trace 3 instead.
  store.add([span(2)]);
  store.add([span(7)]);
  assert.ok(store.size.spans <= 10);
  assert.notEqual(store.get(span(2).traceId), undefined);
  assert.equal(store.get(span(3).traceId), undefined);
  const stats = store.stats();
  assert.equal(stats.receivedSpans, 14);
  assert.equal(stats.evictedSpans, 14 - stats.spans);
});

test('one huge trace cannot push out everything: spans past the per-trace cap are refused', () => {
  const store = new TraceStore({ maxSpans: 100, maxSpansPerTrace: 5 });
  store.add([span(1)]);
  const r = store.add(Array.from({ length: 20 }, () => span(2)));
  assert.deepEqual(r, { accepted: 5, refused: 15 });
  assert.notEqual(store.get(span(1).traceId), undefined);
});

test('traces older than maxAge are evicted', () => {
  let now = 0;
  const store = new TraceStore({ maxAgeMs: 1000, now: () => now });
  store.add([span(1)]);
  now = 600;
  store.add([span(2)]);
  now = 1200;
  assert.deepEqual(
    store.search({}).traces.map((t) => Number.parseInt(t.traceId, 16)),
    [2],
  );
  now = 5000;
  assert.equal(store.size.traces, 0);
});
