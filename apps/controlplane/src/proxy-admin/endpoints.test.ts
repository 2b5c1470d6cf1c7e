import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MeshEndpoint } from '@trellis/shared';
import { type ProxyClusters, serviceEndpointsStatus } from './endpoints';
import type { AdminClusters } from './schemas';

const HOST = 'reviews.default.svc.cluster.local';

function ep(id: string, version: string, address: string, port = 9080): MeshEndpoint {
  return {
    id,
    workload: id.split('.')[0]!,
    namespace: 'default',
    serviceAccount: 'bookinfo-reviews',
    labels: { app: 'reviews', version },
    service: 'reviews',
    servicePort: port,
    address,
    port: Number(address.split(':')[1]),
    hasSidecar: true,
  };
}

const endpoints = [
  ep('reviews-v1.default', 'v1', '127.0.0.1:7001'),
  ep('reviews-v2.default', 'v2', '127.0.0.1:7002'),
  // The same proxy on a second port is still one endpoint.
  ep('reviews-v2.default', 'v2', '127.0.0.1:7002', 9081),
  { ...ep('ratings-v1.default', 'v1', '127.0.0.1:7009'), service: 'ratings' },
];

function e(address: string, over: Partial<AdminClusters['clusters'][0]['endpoints'][0]> = {}) {
  return { address, ejected: false, ejections: 0, active: 0, requests: 10, errors: 0, ...over };
}

function caller(proxy: string, clusters: AdminClusters['clusters']): ProxyClusters {
  return {
    proxy,
    workload: proxy.split('.')[0]!,
    namespace: 'default',
    connected: true,
    read: { ok: true, value: { clusters } },
  };
}

const now = new Date('2026-01-01T00:00:00Z');

test('an endpoint one caller ejected is ejected by that caller; the other is healthy', () => {
  const view = serviceEndpointsStatus({
    namespace: 'default',
    service: 'reviews',
    endpoints,
    now,
    proxies: [
      caller('productpage-v1.default', [
        {
          name: `outbound|9080||${HOST}`,
          service: HOST,
          endpoints: [e('127.0.0.1:7001'), e('127.0.0.1:7002', { ejected: true, ejections: 2, errors: 5 })],
        },
        {
          name: `outbound|9080|v2|${HOST}`,
          service: HOST,
          endpoints: [e('127.0.0.1:7002', { ejections: 1, requests: 3 })],
        },
        {
          name: 'outbound|9080||ratings.default.svc.cluster.local',
          service: 'ratings.default.svc.cluster.local',
          endpoints: [],
        },
      ]),
      // Holds no cluster for reviews: not a caller.
      caller('details-v1.default', [
        { name: 'inbound|9080||', service: 'local-app', endpoints: [e('127.0.0.1:9080')] },
      ]),
    ],
  });
  assert.equal(view.hostname, HOST);
  assert.deepEqual(
    view.endpoints.map((x) => [x.id, x.state, x.ejectedBy]),
    [
      ['reviews-v1.default', 'healthy', []],
      ['reviews-v2.default', 'ejected', ['productpage-v1']],
    ],
  );
  const v2 = view.endpoints[1]!.reports[0]!;
  // Summed over the service's clusters (each keeps its own endpoint state).
  assert.equal(v2.ejections, 3);
  assert.equal(v2.totalRequests, 13);
  assert.deepEqual(v2.ejectedIn, [`outbound|9080||${HOST}`]);
  assert.deepEqual(
    view.callers.map((c) => [c.proxy, c.status]),
    [['productpage-v1.default', 'reported']],
  );
});

test('an unreachable sidecar is listed, and endpoints nobody reported are unknown, not healthy', () => {
  const view = serviceEndpointsStatus({
    namespace: 'default',
    service: 'reviews',
    endpoints,
    now,
    proxies: [
      {
        proxy: 'productpage-v1.default',
        workload: 'productpage-v1',
        namespace: 'default',
        connected: false,
        read: { ok: false, failure: { kind: 'unreachable', message: 'ECONNREFUSED' } },
      },
    ],
  });
  assert.deepEqual(
    view.endpoints.map((x) => x.state),
    ['unknown', 'unknown'],
  );
  assert.equal(view.callers.length, 1);
  const c = view.callers[0]!;
  assert.equal(c.status, 'unreachable');
  assert.equal(c.status === 'unreachable' && c.connected, false);
});

test('no caller has a cluster for the service: not reported', () => {
  const view = serviceEndpointsStatus({
    namespace: 'default',
    service: 'reviews',
    endpoints,
    now,
    proxies: [caller('details-v1.default', [])],
  });
  assert.deepEqual(
    view.endpoints.map((x) => x.state),
    ['not-reported', 'not-reported'],
  );
  assert.deepEqual(view.callers, []);
});

test('a service in another namespace with the same name is not mixed in', () => {
  const view = serviceEndpointsStatus({
    namespace: 'other',
    service: 'reviews',
    endpoints,
    now,
    proxies: [],
  });
  assert.deepEqual(view.endpoints, []);
  assert.equal(view.hostname, 'reviews.other.svc.cluster.local');
});
