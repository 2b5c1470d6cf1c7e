import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeOverview } from './merge';
import type { GraphSubset, ProxyEntry } from './schemas';

const signals = (rps: number, errorRate: number | null, p99Ms: number | null) => ({ rps, errorRate, p99Ms });

const graph: GraphSubset = {
  backend: 'builtin',
  window: { startMs: 0, endMs: 60_000, windowSeconds: 60 },
  nodes: [
    { id: 'unknown', kind: 'unknown', namespace: 'unknown', inbound: signals(0, null, null) },
    {
      id: 'workload:default/productpage-v1',
      kind: 'workload',
      namespace: 'default',
      workload: 'productpage-v1',
      app: 'productpage',
      version: 'v1',
      inbound: signals(5, 0, 42),
    },
    {
      id: 'workload:default/reviews-v3',
      kind: 'workload',
      namespace: 'default',
      workload: 'reviews-v3',
      app: 'reviews',
      version: 'v3',
      inbound: signals(1.5, 0.25, 900),
    },
    {
      id: 'service:ratings.default.svc.cluster.local',
      kind: 'service',
      namespace: 'default',
      inbound: signals(2, 1, null),
    },
  ],
};

const proxy = (workload: string, version: string, state: string, configVersion = '7'): ProxyEntry => ({
  id: `${workload}-1`,
  workload,
  namespace: 'default',
  labels: { app: workload.replace(/-v\d+$/, ''), version },
  state,
  version: configVersion,
  lastError: state === 'NACKED' ? 'route "x": unknown cluster' : null,
});

test('joins the sync list and the graph into one row per workload', () => {
  const rows = mergeOverview(
    [
      proxy('productpage-v1', 'v1', 'SYNCED'),
      proxy('reviews-v1', 'v1', 'STALE'),
      proxy('reviews-v1', 'v1', 'SYNCED'),
    ],
    graph,
  );
  assert.deepEqual(
    rows.map((r) => [r.workload, r.version, r.sync?.state, r.traffic?.rps]),
    [
      ['productpage-v1', 'v1', 'SYNCED', 5],
      ['reviews-v1', 'v1', 'STALE', 0],
      ['reviews-v3', 'v3', 'DISCONNECTED', 1.5],
    ],
  );
  const reviewsV1 = rows.find((r) => r.workload === 'reviews-v1')!;
  assert.deepEqual(reviewsV1.sync, {
    state: 'STALE',
    proxies: 2,
    synced: 1,
    configVersion: '7',
    lastError: null,
  });
  assert.deepEqual(
    reviewsV1.traffic,
    { rps: 0, errorRate: null, p99Ms: null },
    'connected but idle: zero, not unknown',
  );
  assert.deepEqual(rows.find((r) => r.workload === 'reviews-v3')!.traffic, {
    rps: 1.5,
    errorRate: 0.25,
    p99Ms: 900,
  });
});

test('a source that could not be read leaves its columns unknown (null), not zero', () => {
  const noTelemetry = mergeOverview([proxy('details-v1', 'v1', 'NACKED')], null);
  assert.equal(noTelemetry.length, 1);
  assert.equal(noTelemetry[0]!.traffic, null);
  assert.equal(noTelemetry[0]!.sync?.state, 'NACKED');
  assert.equal(noTelemetry[0]!.sync?.lastError, 'route "x": unknown cluster');

  const noProxies = mergeOverview(null, graph);
  assert.deepEqual(
    noProxies.map((r) => [r.workload, r.sync]),
    [
      ['productpage-v1', null],
      ['reviews-v3', null],
    ],
  );
});

test('a disconnected proxy counts only while no replacement is connected', () => {
  const replaced = mergeOverview(
    [proxy('ratings-v1', 'v1', 'DISCONNECTED'), proxy('ratings-v1', 'v1', 'SYNCED')],
    null,
  );
  assert.deepEqual(replaced[0]!.sync, {
    state: 'SYNCED',
    proxies: 1,
    synced: 1,
    configVersion: '7',
    lastError: null,
  });
  const gone = mergeOverview([proxy('ratings-v1', 'v1', 'DISCONNECTED')], null);
  assert.equal(gone[0]!.sync?.state, 'DISCONNECTED');
  assert.equal(gone[0]!.sync?.proxies, 0);
});

test('unknown states are shown as UNKNOWN, and nothing from nothing', () => {
  const rows = mergeOverview([proxy('x-v1', 'v1', 'weird')], null);
  assert.equal(rows[0]!.sync?.state, 'UNKNOWN');
  assert.deepEqual(mergeOverview([], { ...graph, nodes: [] }), []);
});
