import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProxyStatusWire as ProxyWire } from '@/lib/wire/proxy-status';
import { endpointsOf } from './endpoints';
import type { ServiceMetricsWire } from './schemas';

const proxy = (
  id: string,
  workload: string,
  labels: Record<string, string>,
  state = 'SYNCED',
): ProxyWire => ({
  id,
  workload,
  namespace: 'default',
  labels,
  version: '7',
  sentVersion: '7',
  state,
  lastAckTime: null,
  lastError: state === 'NACKED' ? 'bad route' : null,
  connectedAt: '2026-01-01T00:00:00Z',
  disconnectedAt: null,
  proxyVersion: '0.1.0',
});

const proxies = [
  proxy('reviews-v2-1', 'reviews-v2', { app: 'reviews', version: 'v2' }, 'NACKED'),
  proxy('reviews-v1-old', 'reviews-v1', { app: 'reviews', version: 'v1' }, 'DISCONNECTED'),
  proxy('reviews-v1-1', 'reviews-v1', { app: 'reviews', version: 'v1' }),
  proxy('ratings-v1-1', 'ratings-v1', { app: 'ratings', version: 'v1' }),
  proxy('legacy-1', 'legacy-reviews', { version: 'v0' }),
  { ...proxy('reviews-tools', 'reviews-v1', { app: 'reviews', version: 'v1' }), namespace: 'tools' },
];

test('proxies of the service by app label, connected first, with their sync state', () => {
  const rows = endpointsOf(proxies, { namespace: 'default', name: 'reviews' }, null);
  assert.deepEqual(
    rows.map((r) => [r.id, r.version, r.state, r.matchedBy]),
    [
      ['reviews-v1-1', 'v1', 'SYNCED', 'app-label'],
      ['reviews-v2-1', 'v2', 'NACKED', 'app-label'],
      ['reviews-v1-old', 'v1', 'DISCONNECTED', 'app-label'],
    ],
  );
  assert.equal(rows[1]!.lastError, 'bad route');
});

test('a proxy that lists its services is matched by that list, not by its labels', () => {
  const listed = [
    {
      ...proxy('gw-1', 'books-gateway', { app: 'gateway', version: 'v1' }),
      services: [{ name: 'reviews', port: 9080 }],
    },
    {
      ...proxy('rv-1', 'reviews-v9', { app: 'reviews', version: 'v9' }),
      services: [{ name: 'reviews-admin', port: 9090 }],
    },
  ];
  assert.deepEqual(
    endpointsOf(listed, { namespace: 'default', name: 'reviews' }, null).map((r) => [r.id, r.matchedBy]),
    [['gw-1', 'service']],
  );
});

test('an unlabelled workload counts when telemetry saw it serve the service', () => {
  const metrics = {
    versions: [{ version: 'v0', workload: 'legacy-reviews', points: [] }],
  } as unknown as ServiceMetricsWire;
  const rows = endpointsOf(proxies, { namespace: 'default', name: 'reviews' }, metrics);
  assert.deepEqual(
    rows.filter((r) => r.matchedBy === 'telemetry').map((r) => r.id),
    ['legacy-1'],
  );
  assert.deepEqual(endpointsOf(proxies, { namespace: 'default', name: 'nothing' }, null), []);
});
