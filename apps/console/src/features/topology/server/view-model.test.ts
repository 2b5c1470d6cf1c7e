import assert from 'node:assert/strict';
import { test } from 'node:test';
import { healthOf } from '../health';
import { parseTopologyParams } from './params';
import type { GraphEdgeInput, GraphInput, GraphNodeInput } from './schemas';
import { buildTopology, edgeLabel, mtlsStateOf, serviceRef, sumSignals } from './view-model';

const sig = (rps: number, errorRate: number | null, p99Ms: number | null) => ({
  rps,
  errorRate,
  p50Ms: p99Ms === null ? null : p99Ms / 4,
  p95Ms: p99Ms === null ? null : p99Ms / 2,
  p99Ms,
});

const wl = (ns: string, app: string, version: string, inbound = sig(1, 0, 10)): GraphNodeInput => ({
  id: `workload:${ns}/${app}-${version}`,
  kind: 'workload',
  namespace: ns,
  workload: `${app}-${version}`,
  app,
  version,
  services: [`${app}.${ns}.svc.cluster.local`],
  inbound,
  outboundRps: 0,
});

const edge = (
  source: string,
  target: string,
  rps: number,
  extra: Partial<GraphEdgeInput> = {},
): GraphEdgeInput => ({
  id: `${source}->${target}|http`,
  source,
  target,
  protocol: 'http',
  destinationService: 'x.default.svc.cluster.local',
  ...sig(rps, 0, 20),
  mtlsShare: 1,
  responseCodes: { '200': rps },
  responseFlags: {},
  ...extra,
});

const PP = 'workload:default/productpage-v1';
const R1 = 'workload:default/reviews-v1';
const R3 = 'workload:default/reviews-v3';
const HB = 'workload:tools/httpbin-v1';

const graph: GraphInput = {
  backend: 'builtin',
  window: { startMs: 0, endMs: 60_000, windowSeconds: 60 },
  nodes: [
    { id: 'unknown', kind: 'unknown', namespace: '', inbound: sig(0, null, null), outboundRps: 5 },
    wl('default', 'productpage', 'v1', sig(5, 0, 48)),
    wl('default', 'reviews', 'v1', sig(2, 0, 9)),
    wl('default', 'reviews', 'v3', sig(1, 0.5, 2540)),
    {
      id: 'service:ratings.default.svc.cluster.local',
      kind: 'service',
      namespace: 'default',
      services: ['ratings.default.svc.cluster.local'],
      inbound: sig(0.5, 1, null),
      outboundRps: 0,
    },
    wl('tools', 'httpbin', 'v1', sig(0, null, null)),
    wl('tools', 'sleep', 'v1', sig(0, null, null)),
  ],
  edges: [
    edge('unknown', PP, 5, { mtlsShare: 0 }),
    edge(PP, R1, 2),
    edge(PP, R3, 1, { errorRate: 0.5, mtlsShare: 0.6 }),
    edge(R3, 'service:ratings.default.svc.cluster.local', 0.5, { errorRate: 1, mtlsShare: null }),
    edge('workload:tools/sleep-v1', PP, 0.2),
  ],
};

const build = (namespace: string | null = null) => buildTopology(graph, { namespace, generatedAtMs: 1 });

test('workloads sit in one box per app (versioned-app graph), parents listed before children', () => {
  const t = build();
  const reviews = t.nodes.find((n) => n.id === 'app:default/reviews');
  assert.ok(reviews, 'reviews box');
  assert.equal(reviews.kind, 'app');
  assert.deepEqual(reviews.children, [R1, R3]);
  assert.deepEqual(
    t.nodes.filter((n) => n.parent === 'app:default/reviews').map((n) => [n.id, n.label]),
    [
      [R1, 'v1'],
      [R3, 'v3'],
    ],
  );
  const firstChild = t.nodes.findIndex((n) => n.parent !== null);
  const lastBox = t.nodes.map((n) => n.kind).lastIndexOf('app');
  assert.ok(lastBox < firstChild, 'every box comes before any child');
  assert.deepEqual(t.summary, { apps: 4, workloads: 5, services: 1, edges: 5 });
  // Two namespaces shown together: the box says which one.
  assert.equal(reviews.label, 'reviews\ndefault');
  assert.deepEqual(t.namespaces, ['default', 'tools']);
});

test('an app box adds its versions up: rps and errors sum, p99 is the largest version p99', () => {
  const box = build().nodes.find((n) => n.id === 'app:default/reviews')!;
  assert.equal(box.inbound.rps, 3);
  assert.ok(Math.abs((box.inbound.errorRate ?? 0) - 0.5 / 3) < 1e-9);
  assert.equal(box.inbound.p99Ms, 2540);
  assert.equal(box.health, 'failure', 'as unhealthy as its worst version');
  assert.deepEqual(box.services, [
    { namespace: 'default', name: 'reviews', hostname: 'reviews.default.svc.cluster.local' },
  ]);
  assert.deepEqual(sumSignals([]), { rps: 0, errorRate: null, p50Ms: null, p95Ms: null, p99Ms: null });
});

test("health uses Kiali's thresholds: degraded from 0.1 %, failure from 20 %, idle without requests", () => {
  assert.equal(healthOf(1, 0), 'healthy');
  assert.equal(healthOf(1, 0.000_99), 'healthy');
  assert.equal(healthOf(1, 0.001), 'degraded');
  assert.equal(healthOf(1, 0.199), 'degraded');
  assert.equal(healthOf(1, 0.2), 'failure');
  assert.equal(healthOf(0, null), 'idle');
  const t = build();
  assert.equal(t.nodes.find((n) => n.id === R3)!.health, 'failure');
  assert.equal(t.nodes.find((n) => n.id === PP)!.health, 'healthy');
  assert.equal(t.nodes.find((n) => n.id === HB)!.health, 'idle');
  assert.equal(t.edges.find((e) => e.target === R3)!.health, 'failure');
});

test('edges carry rps, error %, p99 and their mTLS state; the label marks plaintext', () => {
  const t = build();
  const byTarget = (id: string) =>
    t.edges.find((e) => e.target === id && e.source !== 'workload:tools/sleep-v1')!;
  const toR1 = byTarget(R1);
  assert.equal(toR1.mtls, 'mtls');
  assert.equal(toR1.label, '2.00 rps\np99 20 ms');
  const toR3 = byTarget(R3);
  assert.equal(toR3.mtls, 'partial');
  assert.equal(toR3.label, '1.00 rps · 50% err\np99 20 ms · ⚠ 40% plaintext');
  const fromOutside = byTarget(PP);
  assert.equal(fromOutside.source, 'unknown');
  assert.equal(fromOutside.mtls, 'none');
  assert.match(fromOutside.label, /⚠ plaintext$/);
  assert.equal(byTarget('service:ratings.default.svc.cluster.local').mtls, 'unknown');
  assert.equal(mtlsStateOf(0.9995), 'mtls', 'averaged counters: ~1 is all mTLS');
  assert.equal(mtlsStateOf(0.99), 'partial');
  assert.equal(
    edgeLabel(
      'tcp',
      sig(0, null, null),
      { sentBytesPerSecond: 1024, receivedBytesPerSecond: 2048 },
      'mtls',
      1,
    ),
    '3.0 KiB/s',
  );
});

test('outside traffic and service-only destinations are shown, with links to service pages', () => {
  const t = build();
  const unknown = t.nodes.find((n) => n.id === 'unknown')!;
  assert.equal(unknown.kind, 'unknown');
  assert.equal(unknown.outboundRps, 5);
  const ratings = t.nodes.find((n) => n.kind === 'service')!;
  assert.equal(ratings.label, 'ratings');
  assert.equal(ratings.parent, null);
  assert.deepEqual(ratings.services[0], {
    namespace: 'default',
    name: 'ratings',
    hostname: 'ratings.default.svc.cluster.local',
  });
  assert.deepEqual(serviceRef('api.example.com', 'default'), {
    namespace: 'default',
    name: 'api.example.com',
    hostname: 'api.example.com',
  });
});

test('a namespace filter keeps its nodes and whoever talks to them, marked as outside', () => {
  const t = build('tools');
  assert.deepEqual(
    t.nodes.map((n) => [n.id, n.outsideNamespace]),
    [
      ['app:default/productpage', true],
      ['app:tools/httpbin', false],
      ['app:tools/sleep', false],
      [PP, true],
      [HB, false],
      ['workload:tools/sleep-v1', false],
    ],
  );
  assert.deepEqual(
    t.edges.map((e) => e.id),
    ['workload:tools/sleep-v1->workload:default/productpage-v1|http'],
  );
  assert.equal(t.nodes[0]!.label, 'productpage\ndefault', 'an outside box names its namespace');
  assert.equal(t.nodes[1]!.label, 'httpbin');
  assert.deepEqual(t.namespaces, ['default', 'tools'], 'the filter still lists every namespace');
  assert.equal(t.namespace, 'tools');

  const empty = build('nowhere');
  assert.deepEqual([empty.nodes, empty.edges], [[], []]);
});

test('edges to nodes the graph does not list are dropped instead of dangling', () => {
  const t = buildTopology(
    { ...graph, edges: [edge(PP, 'workload:default/ghost-v1', 1)] },
    { namespace: null, generatedAtMs: 1 },
  );
  assert.equal(t.edges.length, 0);
});

test('query parameters: window as the control plane reads it, namespace as a name', () => {
  const p = (qs: string) => parseTopologyParams(new URLSearchParams(qs));
  assert.deepEqual(p(''), { ok: true, params: { namespace: null, windowSeconds: 60 } });
  assert.deepEqual(p('namespace=tools&window=5m'), {
    ok: true,
    params: { namespace: 'tools', windowSeconds: 300 },
  });
  assert.deepEqual(p('window=90'), { ok: true, params: { namespace: null, windowSeconds: 90 } });
  assert.equal(p('window=7h').ok, false);
  assert.equal(p('window=0s').ok, false);
  assert.equal(p('window=abc').ok, false);
  assert.equal(p('namespace=Bad_NS').ok, false);
});
