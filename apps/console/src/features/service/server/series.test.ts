import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceMetricsWire } from './schemas';
import { buildMetricsView, mergeSeries, summarise } from './series';

const pt = (tMs: number, rps: number, errorRate: number | null, p99Ms: number | null) => ({
  tMs,
  rps,
  errorRate,
  p50Ms: p99Ms === null ? null : p99Ms / 4,
  p95Ms: p99Ms === null ? null : p99Ms / 2,
  p99Ms,
});

const wire: ServiceMetricsWire = {
  backend: 'builtin',
  service: { namespace: 'default', name: 'reviews', hostname: 'reviews.default.svc.cluster.local' },
  reporter: 'destination',
  window: { startMs: 0, endMs: 45_000, stepSeconds: 15 },
  total: { points: [pt(15_000, 3, 0, 40), pt(30_000, 4, 0.25, 80), pt(45_000, 0, null, null)] },
  versions: [
    {
      version: 'v1',
      workload: 'reviews-v1',
      points: [pt(15_000, 1, 0, 10), pt(30_000, 1, 0, 12), pt(45_000, 0, null, null)],
    },
    {
      version: 'v2',
      workload: 'reviews-v2',
      points: [pt(15_000, 2, 0, 40), pt(30_000, 3, 1 / 3, 80), pt(45_000, 0, null, null)],
    },
  ],
};

test('one chart row per step, one field per line, total first; error rate as a percentage', () => {
  const view = buildMetricsView(wire, '5m');
  assert.deepEqual(
    view.series.map((s) => [s.key, s.label, s.total]),
    [
      ['s0', 'total', true],
      ['s1', 'v1', false],
      ['s2', 'v2', false],
    ],
  );
  assert.deepEqual(view.charts.rps, [
    { tMs: 15_000, s0: 3, s1: 1, s2: 2 },
    { tMs: 30_000, s0: 4, s1: 1, s2: 3 },
    { tMs: 45_000, s0: 0, s1: 0, s2: 0 },
  ]);
  assert.deepEqual(
    view.charts.errorPct.map((r) => [r.s0, r.s1, r.s2]),
    [
      [0, 0, 0],
      [25, 0, (1 / 3) * 100],
      [null, null, null],
    ],
    'no requests is a gap (null), not 0 %',
  );
  assert.deepEqual(
    view.charts.p99Ms.map((r) => r.s2),
    [40, 80, null],
  );
  assert.equal(view.hasTraffic, true);
});

test('a series that starts late leaves nulls before its first step instead of shifting', () => {
  const rows = mergeSeries(
    [
      { key: 's0', series: { points: [pt(10, 1, 0, 1), pt(20, 2, 0, 2)] } },
      { key: 's1', series: { version: 'v3', points: [pt(20, 5, 0, 9)] } },
    ],
    'rps',
  );
  assert.deepEqual(rows, [
    { tMs: 10, s0: 1, s1: null },
    { tMs: 20, s0: 2, s1: 5 },
  ]);
});

test('summary: mean rate over the range, errors weighted by requests, latency of the latest busy step', () => {
  const s = summarise(wire.versions[1]!);
  assert.equal(s.rps, 5 / 3);
  assert.equal(s.errorRate, 1 / 5, 'one error of five requests, not the mean of 0 % and 33 %');
  assert.equal(s.p99Ms, 80);
  assert.equal(s.latestMs, 30_000);
  assert.deepEqual(summarise({ points: [pt(1, 0, null, null)] }), {
    rps: 0,
    errorRate: null,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    latestMs: null,
  });
});

test('two workloads with one version are told apart; an idle service has no traffic', () => {
  const view = buildMetricsView(
    {
      ...wire,
      total: { points: [pt(1, 0, null, null)] },
      versions: [
        { version: 'v1', workload: 'reviews-v1', points: [pt(1, 0, null, null)] },
        { version: 'v1', workload: 'reviews-v1-canary', points: [pt(1, 0, null, null)] },
      ],
    },
    '30m',
  );
  assert.deepEqual(
    view.series.map((s) => s.label),
    ['total', 'v1 (reviews-v1)', 'v1 (reviews-v1-canary)'],
  );
  assert.equal(view.hasTraffic, false);
});
