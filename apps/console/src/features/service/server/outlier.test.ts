import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ServiceEndpointsStatusWire, serviceEndpointsStatusSchema } from '../../../lib/wire/proxy-admin';
import type { EndpointRow } from '../types';
import { withOutlier } from './outlier';

const row = (id: string, workload: string): Omit<EndpointRow, 'outlier'> => ({
  id,
  workload,
  version: workload.split('-')[1] ?? null,
  state: 'SYNCED',
  configVersion: '7',
  sentVersion: '7',
  lastAckTime: null,
  connectedAt: null,
  disconnectedAt: null,
  lastError: null,
  proxyVersion: '0.1.0',
  matchedBy: 'service',
});

const report = (proxy: string, ejected: boolean, over: Record<string, unknown> = {}) => ({
  proxy,
  workload: proxy.split('.')[0],
  namespace: 'default',
  ejected,
  ejectedIn: ejected ? ['outbound|9080||reviews.default.svc.cluster.local'] : [],
  ejections: ejected ? 1 : 0,
  activeRequests: 0,
  totalRequests: 20,
  errors: ejected ? 3 : 0,
  ...over,
});

// Parsed with the console's own schema, as the loader does.
const status: ServiceEndpointsStatusWire = serviceEndpointsStatusSchema.parse({
  namespace: 'default',
  service: 'reviews',
  hostname: 'reviews.default.svc.cluster.local',
  generatedAt: '2026-01-01T00:00:00.000Z',
  endpoints: [
    {
      id: 'reviews-v1.default',
      workload: 'reviews-v1',
      namespace: 'default',
      version: 'v1',
      address: '127.0.0.1:7001',
      state: 'ejected',
      ejectedBy: ['productpage-v1'],
      reports: [
        report('productpage-v1.default', true),
        report('reviews-v2.default', false, { totalRequests: 0 }),
      ],
    },
    {
      id: 'reviews-v2.default',
      workload: 'reviews-v2',
      namespace: 'default',
      version: 'v2',
      address: '127.0.0.1:7002',
      state: 'healthy',
      ejectedBy: [],
      reports: [report('productpage-v1.default', false)],
    },
    {
      id: 'reviews-v3.default',
      workload: 'reviews-v3',
      namespace: 'default',
      version: 'v3',
      address: '127.0.0.1:7003',
      state: 'unknown',
      ejectedBy: [],
      reports: [],
    },
  ],
  callers: [
    {
      proxy: 'productpage-v1.default',
      workload: 'productpage-v1',
      namespace: 'default',
      status: 'reported',
      clusters: ['outbound|9080||reviews.default.svc.cluster.local'],
    },
    {
      proxy: 'ratings-v1.default',
      workload: 'ratings-v1',
      namespace: 'default',
      status: 'unreachable',
      failure: { kind: 'unreachable', message: '127.0.0.1:15000: ECONNREFUSED' },
      connected: false,
    },
  ],
});

test('each endpoint reads as its callers say: ejected by whom, healthy, unknown', () => {
  const view = withOutlier(
    [
      row('reviews-v1.default', 'reviews-v1'),
      row('reviews-v2.default', 'reviews-v2'),
      row('reviews-v3.default', 'reviews-v3'),
    ],
    status,
  );
  assert.deepEqual(
    view.endpoints.map((e) => [e.id, e.outlier.state, e.outlier.text]),
    [
      ['reviews-v1.default', 'ejected', 'Ejected by productpage-v1'],
      ['reviews-v2.default', 'healthy', 'Healthy'],
      ['reviews-v3.default', 'unknown', 'Unknown: caller unreachable'],
    ],
  );
  const v1 = view.endpoints[0]!.outlier;
  // Two parts for the narrow column: the badge, and who under it.
  assert.deepEqual([v1.badge, v1.detail], ['Ejected', 'by productpage-v1']);
  assert.deepEqual(v1.reportedBy, ['productpage-v1', 'reviews-v2']);
  assert.equal(v1.errors, 3);
  assert.equal(v1.requests, 20);
  // The tooltip names the sidecar that could not be asked.
  assert.match(v1.title, /could not be asked \(ratings-v1\)/);
  assert.deepEqual(
    view.callers.map((c) => [c.workload, c.status, c.detail]),
    [
      ['productpage-v1', 'reported', 'outbound|9080||reviews.default.svc.cluster.local'],
      ['ratings-v1', 'unreachable', '127.0.0.1:15000: ECONNREFUSED (disconnected from the control plane)'],
    ],
  );
});

test('a proxy the control plane does not list as an endpoint, and no answer at all, are "not reported"', () => {
  const view = withOutlier([row('reviews-v9.default', 'reviews-v9')], status);
  assert.equal(view.endpoints[0]!.outlier.state, 'not-reported');
  const none = withOutlier([row('reviews-v1.default', 'reviews-v1')], null);
  assert.equal(none.endpoints[0]!.outlier.state, 'not-reported');
  assert.equal(none.endpoints[0]!.outlier.text, 'Not reported');
  assert.deepEqual(none.callers, []);
});

test('a state this console does not know reads as unknown, not healthy', () => {
  const odd = { ...status, endpoints: [{ ...status.endpoints[1]!, state: 'draining' }] };
  const view = withOutlier([row('reviews-v2.default', 'reviews-v2')], odd);
  assert.equal(view.endpoints[0]!.outlier.state, 'unknown');
});
