import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGraph } from './graph';
import { histogramQuantile } from './quantile';
import type { RateRow } from './rates';

test('histogramQuantile interpolates like PromQL', () => {
  const b = [
    { le: 1, count: 0 },
    { le: 5, count: 10 },
    { le: 10, count: 20 },
    { le: Number.POSITIVE_INFINITY, count: 20 },
  ];
  assert.equal(histogramQuantile(0.5, b), 5);
  assert.ok(Math.abs(histogramQuantile(0.99, b)! - 9.9) < 1e-9);
  // Rank in the first bucket starts from 0.
  assert.equal(
    histogramQuantile(0.5, [
      { le: 10, count: 4 },
      { le: Number.POSITIVE_INFINITY, count: 4 },
    ]),
    5,
  );
  // Rank in +Inf: the highest finite bound.
  assert.equal(
    histogramQuantile(0.9, [
      { le: 1, count: 0 },
      { le: Number.POSITIVE_INFINITY, count: 5 },
    ]),
    1,
  );
  assert.equal(histogramQuantile(0.5, [{ le: Number.POSITIVE_INFINITY, count: 0 }]), null);
  assert.equal(histogramQuantile(0.5, [{ le: 5, count: 3 }]), null, 'no +Inf bucket');
});

const base = {
  source_workload_namespace: 'default',
  source_canonical_service: 'productpage',
  source_version: 'v1',
  destination_service: 'reviews.default.svc.cluster.local',
  destination_service_namespace: 'default',
  destination_workload_namespace: 'default',
  destination_canonical_service: 'reviews',
  request_protocol: 'http',
  grpc_response_status: '',
  response_flags: '-',
  connection_security_policy: 'mutual_tls',
};

function req(over: Record<string, string>, value: number): RateRow {
  return {
    labels: {
      ...base,
      reporter: 'source',
      source_workload: 'productpage-v1',
      destination_workload: 'reviews-v1',
      destination_version: 'v1',
      response_code: '200',
      ...over,
    },
    value,
  };
}

function buckets(over: Record<string, string>, counts: [string, number][]): RateRow[] {
  return counts.map(([le, value]) => ({
    labels: {
      ...base,
      reporter: 'source',
      source_workload: 'productpage-v1',
      destination_workload: 'reviews-v1',
      destination_version: 'v1',
      ...over,
      le,
    },
    value,
  }));
}

const window = { startMs: 0, endMs: 60_000, windowSeconds: 60 };

test('edges come from the source reporter inside the mesh and carry rps, errors, codes, flags, mTLS', () => {
  const g = buildGraph(
    {
      requests: [
        req({}, 8),
        req({ response_code: '503', response_flags: 'URX' }, 2),
        // The destination's view of the same requests must not double them.
        req({ reporter: 'destination' }, 8),
        req(
          {
            destination_workload: 'reviews-v2',
            destination_version: 'v2',
            connection_security_policy: 'none',
          },
          5,
        ),
        // A fault-injected abort never reached a workload: edge to the service node.
        req(
          {
            destination_workload: 'unknown',
            destination_version: 'unknown',
            response_code: '503',
            response_flags: 'FI',
          },
          1,
        ),
        // Traffic from outside the mesh is known only to the destination.
        req({ reporter: 'destination', source_workload: 'unknown', source_workload_namespace: 'unknown' }, 3),
        req({ reporter: 'source', source_workload: 'unknown' }, 100),
        // Zero-rate series (no traffic in the window) draw nothing.
        req({ destination_workload: 'reviews-v3', destination_version: 'v3' }, 0),
      ],
      durationBuckets: buckets({}, [
        ['10', 0],
        ['50', 5],
        ['100', 10],
        ['+Inf', 10],
      ]),
      tcpSent: [],
      tcpReceived: [],
    },
    { backend: 'builtin', window },
  );
  assert.deepEqual(
    g.nodes.map((n) => n.id),
    [
      'service:reviews.default.svc.cluster.local',
      'unknown',
      'workload:default/productpage-v1',
      'workload:default/reviews-v1',
      'workload:default/reviews-v2',
    ],
  );
  const e = g.edges.find((x) => x.target === 'workload:default/reviews-v1' && x.source !== 'unknown')!;
  assert.equal(e.rps, 10);
  assert.equal(e.errorRate, 0.2);
  assert.deepEqual(e.responseCodes, { '200': 8, '503': 2 });
  assert.deepEqual(e.responseFlags, { URX: 2 });
  assert.equal(e.mtlsShare, 1);
  assert.equal(e.p50Ms, 50);
  assert.equal(e.p99Ms, 99);
  const v2 = g.edges.find((x) => x.target === 'workload:default/reviews-v2')!;
  assert.equal(v2.mtlsShare, 0);
  assert.equal(v2.p50Ms, null, 'no latency data is null, not 0');
  const fi = g.edges.find((x) => x.target === 'service:reviews.default.svc.cluster.local')!;
  assert.deepEqual(fi.responseFlags, { FI: 1 });
  const fromOutside = g.edges.find((x) => x.source === 'unknown')!;
  assert.equal(fromOutside.rps, 3);
  const reviews = g.nodes.find((n) => n.id === 'workload:default/reviews-v1')!;
  assert.equal(reviews.inbound.rps, 13);
  assert.equal(reviews.app, 'reviews');
  assert.equal(reviews.version, 'v1');
  assert.deepEqual(reviews.services, ['reviews.default.svc.cluster.local']);
  const pp = g.nodes.find((n) => n.id === 'workload:default/productpage-v1')!;
  assert.equal(pp.outboundRps, 16);
  assert.equal(pp.inbound.rps, 0);
});

test('tcp edges report bytes per second and the namespace filter keeps touching edges', () => {
  const tcpRow = (ns: string, value: number): RateRow => ({
    labels: {
      ...base,
      reporter: 'source',
      source_workload: 'app',
      source_workload_namespace: ns,
      destination_workload: 'db',
      destination_workload_namespace: ns,
      destination_version: 'v1',
      response_flags: '-',
    },
    value,
  });
  const g = buildGraph(
    {
      requests: [],
      durationBuckets: [],
      tcpSent: [tcpRow('a', 100), tcpRow('b', 7)],
      tcpReceived: [tcpRow('a', 40)],
    },
    { backend: 'prometheus', window, namespaces: ['a'] },
  );
  assert.equal(g.edges.length, 1);
  assert.equal(g.edges[0]!.protocol, 'tcp');
  assert.deepEqual(g.edges[0]!.tcp, { sentBytesPerSecond: 100, receivedBytesPerSecond: 40 });
  assert.equal(g.edges[0]!.mtlsShare, 1);
  assert.equal(g.nodes.length, 2);
});
