import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cluster, MeshResource, ProxyIdentity } from '@trellis/shared';
import { proxy, REVIEWS, REVIEWS_HOST, REVIEWS_SUBSETS, res, snapshot, type WorkloadSpec } from './testing';
import { translate } from './translate';

const SPLIT = {
  hosts: ['reviews'],
  http: [
    {
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
        { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
      ],
    },
  ],
};

function clusters(
  resources: MeshResource[],
  workloads: WorkloadSpec[] = REVIEWS,
  who: ProxyIdentity = proxy(),
) {
  const out = new Map<string, Cluster>();
  for (const c of translate(snapshot(resources, workloads), who).outbound.clusters) out.set(c.name, c);
  return out;
}

function get(map: Map<string, Cluster>, subset: string): Cluster {
  const c = map.get(`outbound|9080|${subset}|${REVIEWS_HOST}`);
  assert.ok(c, `cluster for subset "${subset}" in ${[...map.keys()].join(', ')}`);
  return c;
}

const vs = res('VirtualService', 'default', 'reviews', SPLIT);

describe('subsets and clusters', () => {
  it('names clusters outbound|PORT|SUBSET|FQDN and selects endpoints by subset labels', () => {
    const map = clusters([vs, res('DestinationRule', 'default', 'reviews', REVIEWS_SUBSETS)]);
    const v1 = get(map, 'v1');
    assert.equal(v1.service, REVIEWS_HOST);
    assert.equal(v1.subset, 'v1');
    assert.equal(v1.port, 9080);
    assert.deepEqual(
      v1.endpoints.map((e) => e.workload),
      ['reviews-v1'],
    );
    assert.deepEqual(
      get(map, 'v2').endpoints.map((e) => e.workload),
      ['reviews-v2'],
    );
  });

  it('a subset no DestinationRule defines has no endpoints', () => {
    assert.deepEqual(get(clusters([vs]), 'v1').endpoints, []);
  });

  it('records protocol from the service port', () => {
    const grpc = REVIEWS.map((w) => ({ ...w, protocol: 'GRPC' as const }));
    assert.equal(get(clusters([], grpc), '').protocol, 'GRPC');
    assert.equal(get(clusters([]), '').protocol, 'HTTP');
  });
});

describe('traffic policy', () => {
  const dr = (spec: Record<string, unknown>) =>
    res('DestinationRule', 'default', 'reviews', { ...REVIEWS_SUBSETS, ...spec });

  it('applies the top-level policy to every subset', () => {
    const map = clusters([
      vs,
      dr({
        trafficPolicy: { loadBalancer: { simple: 'RANDOM' }, connectionPool: { tcp: { maxConnections: 7 } } },
      }),
    ]);
    assert.equal(get(map, 'v1').lb, 'RANDOM');
    assert.deepEqual(get(map, 'v2').connectionPool, { maxConnections: 7 });
  });

  it('lets a subset override top-level fields one by one', () => {
    const map = clusters([
      vs,
      res('DestinationRule', 'default', 'reviews', {
        host: 'reviews',
        trafficPolicy: {
          loadBalancer: { simple: 'RANDOM' },
          connectionPool: { tcp: { maxConnections: 7 }, http: { http1MaxPendingRequests: 3 } },
        },
        subsets: [
          {
            name: 'v1',
            labels: { version: 'v1' },
            trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
          },
          {
            name: 'v2',
            labels: { version: 'v2' },
            trafficPolicy: { connectionPool: { http: { maxRetries: 1 } } },
          },
        ],
      }),
    ]);
    const v1 = get(map, 'v1');
    assert.equal(v1.lb, 'LEAST_REQUEST');
    assert.deepEqual(v1.connectionPool, { maxConnections: 7, http1MaxPendingRequests: 3 });
    const v2 = get(map, 'v2');
    assert.equal(v2.lb, 'RANDOM');
    // A subset's connectionPool replaces the top-level one whole (pilot MergeTrafficPolicy).
    assert.deepEqual(v2.connectionPool, { maxRetries: 1 });
  });

  it('applies portLevelSettings for the cluster port', () => {
    const map = clusters([
      vs,
      dr({
        trafficPolicy: {
          loadBalancer: { simple: 'RANDOM' },
          portLevelSettings: [
            { port: { number: 9080 }, loadBalancer: { simple: 'LEAST_CONN' } },
            { port: { number: 1 }, loadBalancer: { simple: 'ROUND_ROBIN' } },
          ],
        },
      }),
    ]);
    assert.equal(get(map, 'v1').lb, 'LEAST_REQUEST');
  });

  it('translates connection pool fields', () => {
    const map = clusters([
      vs,
      dr({
        trafficPolicy: {
          connectionPool: {
            tcp: { maxConnections: 100 },
            http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 5, maxRetries: 2 },
          },
        },
      }),
    ]);
    assert.deepEqual(get(map, 'v1').connectionPool, {
      maxConnections: 100,
      http1MaxPendingRequests: 10,
      maxRequestsPerConnection: 5,
      maxRetries: 2,
    });
  });

  it('fills outlier detection with Envoy defaults and converts durations', () => {
    const map = clusters([
      vs,
      dr({
        trafficPolicy: {
          outlierDetection: { consecutive5xxErrors: 3, interval: '1s', baseEjectionTime: '2m' },
        },
      }),
    ]);
    assert.deepEqual(get(map, 'v1').outlierDetection, {
      consecutive5xxErrors: 3,
      intervalMs: 1000,
      baseEjectionTimeMs: 120_000,
      maxEjectionPercent: 10,
    });
    const defaults = clusters([vs, dr({ trafficPolicy: { outlierDetection: {} } })]);
    assert.deepEqual(get(defaults, 'v1').outlierDetection, {
      consecutive5xxErrors: 5,
      intervalMs: 10_000,
      baseEjectionTimeMs: 30_000,
      maxEjectionPercent: 10,
    });
    assert.equal(get(clusters([vs, dr({})]), 'v1').outlierDetection, undefined);
  });

  it('reads the legacy consecutiveErrors as gateway errors', () => {
    const map = clusters([
      vs,
      dr({ trafficPolicy: { outlierDetection: { consecutiveErrors: 2, maxEjectionPercent: 100 } } }),
    ]);
    assert.deepEqual(get(map, 'v1').outlierDetection, {
      consecutiveGatewayErrors: 2,
      intervalMs: 10_000,
      baseEjectionTimeMs: 30_000,
      maxEjectionPercent: 100,
    });
  });

  it('prefers a DestinationRule in the proxy namespace over the service namespace', () => {
    const map = clusters(
      [
        vs,
        res('DestinationRule', 'default', 'svc-ns', {
          ...REVIEWS_SUBSETS,
          trafficPolicy: { loadBalancer: { simple: 'RANDOM' } },
        }),
        res('DestinationRule', 'shop', 'client-ns', {
          ...REVIEWS_SUBSETS,
          host: 'reviews.default.svc.cluster.local',
          trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
        }),
      ],
      REVIEWS,
      proxy({ namespace: 'shop' }),
    );
    assert.equal(get(map, 'v1').lb, 'LEAST_REQUEST');
    assert.equal(get(clusters([vs, ...[]]), 'v1').lb, 'ROUND_ROBIN');
  });
});

describe('auto mTLS', () => {
  const one = (w: Partial<WorkloadSpec>): WorkloadSpec[] => [{ ...REVIEWS[0]!, ...w }];

  it('uses ISTIO_MUTUAL to sidecars, with the peer SPIFFE principal', () => {
    const [ep] = get(clusters([], one({ serviceAccount: 'bookinfo-reviews' })), '').endpoints;
    assert.equal(ep!.tlsMode, 'ISTIO_MUTUAL');
    assert.equal(ep!.principal, 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews');
  });

  it('sends plaintext to endpoints without a sidecar', () => {
    const [ep] = get(clusters([], one({ hasSidecar: false })), '').endpoints;
    assert.equal(ep!.tlsMode, 'DISABLE');
    assert.equal(ep!.principal, undefined);
  });

  it('sends plaintext when the DestinationRule disables TLS', () => {
    const dr = res('DestinationRule', 'default', 'r', {
      host: 'reviews',
      trafficPolicy: { tls: { mode: 'DISABLE' } },
    });
    assert.equal(get(clusters([dr], one({})), '').endpoints[0]!.tlsMode, 'DISABLE');
  });

  it('sends plaintext when the destination PeerAuthentication is DISABLE', () => {
    const pa = res('PeerAuthentication', 'default', 'off', {
      selector: { matchLabels: { app: 'reviews' } },
      mtls: { mode: 'DISABLE' },
    });
    assert.equal(get(clusters([pa], one({})), '').endpoints[0]!.tlsMode, 'DISABLE');
    const other = res('PeerAuthentication', 'default', 'off', {
      selector: { matchLabels: { app: 'ratings' } },
      mtls: { mode: 'DISABLE' },
    });
    assert.equal(get(clusters([other], one({})), '').endpoints[0]!.tlsMode, 'ISTIO_MUTUAL');
  });

  it('honours a port-level DISABLE on the port the app listens on', () => {
    const pa = res('PeerAuthentication', 'default', 'port', {
      selector: { matchLabels: { app: 'reviews' } },
      mtls: { mode: 'STRICT' },
      portLevelMtls: { '9080': { mode: 'DISABLE' } },
    });
    assert.equal(get(clusters([pa], one({ targetPort: 9080 })), '').endpoints[0]!.tlsMode, 'DISABLE');
    assert.equal(get(clusters([pa], one({ targetPort: 9081 })), '').endpoints[0]!.tlsMode, 'ISTIO_MUTUAL');
  });

  it('uses mTLS to a sidecar-less endpoint when the DestinationRule asks for ISTIO_MUTUAL', () => {
    const dr = res('DestinationRule', 'default', 'r', {
      host: 'reviews',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
    });
    assert.equal(get(clusters([dr], one({ hasSidecar: false })), '').endpoints[0]!.tlsMode, 'ISTIO_MUTUAL');
  });
});
