import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpanWire } from './schemas';
import { layoutWaterfall, timeTicks } from './waterfall';

const T0 = 1_700_000_000_000;

const span = (
  spanId: string,
  parentSpanId: string | undefined,
  startOffset: number,
  durationMs: number,
  extra: Partial<SpanWire> = {},
): SpanWire => ({
  traceId: 'a'.repeat(32),
  spanId,
  ...(parentSpanId ? { parentSpanId } : {}),
  name: `op-${spanId}`,
  kind: 'server',
  service: 'svc',
  startMs: T0 + startOffset,
  durationMs,
  status: 'unset',
  attributes: {},
  resource: {},
  events: [],
  ...extra,
});

/** A retry as the sidecars record it: two client tries under the caller's server span. */
const retry = [
  span('s0', undefined, 0, 200, { service: 'productpage.default' }),
  // Listed out of order on purpose: the layout orders by parent, then by start.
  span('c2', 's0', 110, 80, {
    kind: 'client',
    attributes: { 'retry.attempt': 2, 'http.status_code': 200, response_flags: '-' },
  }),
  span('c1', 's0', 10, 90, {
    kind: 'client',
    status: 'error',
    attributes: { 'retry.attempt': 1, 'http.status_code': 503, response_flags: 'URX', error: true },
  }),
  span('s2', 'c2', 115, 70, { service: 'reviews.default' }),
  span('s1', 'c1', 12, 85, {
    service: 'reviews.default',
    status: 'error',
    attributes: { 'http.status_code': '503' },
  }),
];

test('a retry: the two tries under the server span, each with its server span under it, by start time', () => {
  const w = layoutWaterfall(retry);
  assert.equal(w.startMs, T0);
  assert.equal(w.durationMs, 200);
  assert.deepEqual(
    w.rows.map((r) => [r.spanId, r.depth, r.offsetPct, r.widthPct]),
    [
      ['s0', 0, 0, 100],
      ['c1', 1, 5, 45],
      ['s1', 2, 6, 42.5],
      ['c2', 1, 55, 40],
      ['s2', 2, 57.5, 35],
    ],
  );
  const c1 = w.rows[1]!;
  assert.equal(c1.error, true);
  assert.deepEqual(c1.responseFlags, ['URX']);
  assert.equal(c1.retryAttempt, 1);
  assert.equal(c1.httpStatus, '503');
  assert.equal(w.rows[2]!.error, true, 'status error marks the span');
  assert.deepEqual(w.rows[3]!.responseFlags, [], '"-" means no flags');
  assert.equal(w.rows[3]!.error, false);
  assert.equal(
    w.rows.some((r) => r.orphan),
    false,
  );
});

test('a fault abort: the client span carries FI and is an error, with no server span under it', () => {
  const w = layoutWaterfall([
    span('root', undefined, 0, 4),
    span('fi', 'root', 1, 0.5, {
      kind: 'client',
      status: 'error',
      attributes: { response_flags: 'FI', 'http.status_code': 503, error: 'true' },
    }),
  ]);
  assert.deepEqual(w.rows[1]!.responseFlags, ['FI']);
  assert.equal(w.rows[1]!.error, true);
  assert.equal(w.rows[1]!.depth, 1);
  assert.equal(w.rows[1]!.widthPct, 12.5);
});

test('spans whose parent is missing are roots marked orphan; cycles do not loop; empty traces are empty', () => {
  const w = layoutWaterfall([
    span('late-root', 'not-here', 5, 5),
    span('a', 'b', 0, 1),
    span('b', 'a', 1, 1),
    span('self', 'self', 2, 1),
  ]);
  assert.equal(w.rows.length, 4);
  assert.deepEqual(
    w.rows.filter((r) => r.depth === 0).map((r) => [r.spanId, r.orphan]),
    [
      ['self', true],
      ['late-root', true],
      ['a', true],
    ],
  );
  assert.deepEqual(layoutWaterfall([]), { startMs: 0, durationMs: 0, rows: [] });
  const instant = layoutWaterfall([span('x', undefined, 0, 0)]);
  assert.deepEqual([instant.rows[0]!.offsetPct, instant.rows[0]!.widthPct], [0, 100]);
});

test('five time labels across the trace', () => {
  assert.deepEqual(
    timeTicks(200).map((t) => `${t.pct}:${t.label}`),
    ['0:0 ms', '25:50 ms', '50:100 ms', '75:150 ms', '100:200 ms'],
  );
});
