import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProxyStatusWire } from '@/lib/wire/proxy-status';
import { buildProxiesView } from './proxies-view';
import { ago, timeView } from './relative-time';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();

const proxy = (id: string, state: string, extra: Partial<ProxyStatusWire> = {}): ProxyStatusWire => {
  const [workload = id, namespace = 'default'] = id.split('.');
  return {
    id,
    workload,
    namespace,
    labels: { app: workload.replace(/-v\d+$/, ''), version: workload.match(/-(v\d+)$/)?.[1] ?? 'v1' },
    services: [{ name: workload.replace(/-v\d+$/, ''), port: 9080 }],
    version: '7',
    sentVersion: '7',
    state,
    lastAckTime: at(12),
    lastError: null,
    connectedAt: at(300),
    disconnectedAt: null,
    proxyVersion: '0.1.0',
    pushes: 3,
    ...extra,
  };
};

test('worst first: NACKED, STALE, DISCONNECTED, SYNCED; then namespace, workload, id', () => {
  const view = buildProxiesView(
    [
      proxy('details-v1.default', 'SYNCED'),
      proxy('ratings-v1.default', 'DISCONNECTED', { disconnectedAt: at(60) }),
      proxy('reviews-v3.default', 'STALE', { version: '6' }),
      proxy('httpbin-v1.tools', 'NACKED', { version: '6', lastError: 'route "x": unknown subset "v9"' }),
      proxy('productpage-v1.default', 'SYNCED'),
      proxy('alpha-v1.tools', 'SYNCED'),
      proxy('reviews-v1.default', 'NACKED', { version: '6', lastError: 'bad' }),
    ],
    NOW,
  );
  assert.deepEqual(
    view.proxies.map((p) => [p.state, p.id]),
    [
      ['NACKED', 'reviews-v1.default'],
      ['NACKED', 'httpbin-v1.tools'],
      ['STALE', 'reviews-v3.default'],
      ['DISCONNECTED', 'ratings-v1.default'],
      ['SYNCED', 'details-v1.default'],
      ['SYNCED', 'productpage-v1.default'],
      ['SYNCED', 'alpha-v1.tools'],
    ],
  );
  assert.deepEqual(view.summary, {
    total: 7,
    byState: { SYNCED: 3, STALE: 1, NACKED: 2, DISCONNECTED: 1, UNKNOWN: 0 },
  });
  assert.deepEqual(view.namespaces, ['default', 'tools']);
  assert.equal(view.generatedAtMs, NOW);
});

test('a row says what the proxy serves and what it was sent, with times relative to the view', () => {
  const view = buildProxiesView(
    [proxy('httpbin-v1.tools', 'NACKED', { version: '6', lastError: 'route "x": unknown subset "v9"' })],
    NOW,
  );
  const row = view.proxies[0]!;
  assert.equal(row.version, 'v1', 'the workload version is the label, not the config version');
  assert.equal(row.ackedVersion, '6');
  assert.equal(row.sentVersion, '7');
  assert.equal(row.behind, true);
  assert.equal(row.lastError, 'route "x": unknown subset "v9"');
  assert.deepEqual(row.lastAck, { iso: at(12), utc: '2026-03-01 11:59:48 UTC', ago: '12 s ago' });
  assert.equal(row.connectedAt?.ago, '5 min ago');
  assert.equal(row.disconnectedAt, null);
  assert.deepEqual(row.services, [{ name: 'httpbin', href: '/services/tools/httpbin' }]);

  const synced = buildProxiesView([proxy('details-v1.default', 'SYNCED')], NOW).proxies[0]!;
  assert.equal(synced.behind, false);
});

test('before the first ACK nothing is "served"; an unknown state is UNKNOWN and sorts before the gone', () => {
  const view = buildProxiesView(
    [
      proxy('new-v1.default', 'STALE', { version: '', lastAckTime: null }),
      proxy('gone-v1.default', 'DISCONNECTED'),
      proxy('odd-v1.default', 'weird'),
    ],
    NOW,
  );
  assert.deepEqual(
    view.proxies.map((p) => [p.id, p.state]),
    [
      ['new-v1.default', 'STALE'],
      ['odd-v1.default', 'UNKNOWN'],
      ['gone-v1.default', 'DISCONNECTED'],
    ],
  );
  const fresh = view.proxies[0]!;
  assert.equal(fresh.ackedVersion, null);
  assert.equal(fresh.lastAck, null);
  assert.equal(fresh.behind, true);
  assert.equal(view.summary.byState.UNKNOWN, 1);
});

test('service links: the proxy’s own list (deduplicated); the app label only when no list is reported', () => {
  const many = buildProxiesView(
    [
      proxy('edge-v1.default', 'SYNCED', {
        services: [
          { name: 'edge', port: 80 },
          { name: 'edge', port: 443 },
          { name: 'edge admin', port: 9000 },
        ],
      }),
    ],
    NOW,
  ).proxies[0]!;
  assert.deepEqual(many.services, [
    { name: 'edge', href: '/services/default/edge' },
    { name: 'edge admin', href: '/services/default/edge%20admin' },
  ]);

  const client = buildProxiesView([proxy('loadgen-v1.default', 'SYNCED', { services: [] })], NOW);
  assert.deepEqual(client.proxies[0]!.services, [], 'a pure client serves nothing: no link');

  const older = proxy('reviews-v2.default', 'SYNCED');
  delete older.services;
  assert.deepEqual(buildProxiesView([older], NOW).proxies[0]!.services, [
    { name: 'reviews', href: '/services/default/reviews' },
  ]);
  const bare = { ...older, labels: {} };
  assert.deepEqual(buildProxiesView([bare], NOW).proxies[0]!.services, []);
});

test('relative times', () => {
  assert.equal(ago(NOW, NOW), 'just now');
  assert.equal(ago(NOW + 3_000, NOW), 'just now', 'clock skew is not the future');
  assert.equal(ago(NOW - 999, NOW), 'just now');
  assert.equal(ago(NOW - 1_000, NOW), '1 s ago');
  assert.equal(ago(NOW - 59_999, NOW), '59 s ago');
  assert.equal(ago(NOW - 60_000, NOW), '1 min ago');
  assert.equal(ago(NOW - 3_599_000, NOW), '59 min ago');
  assert.equal(ago(NOW - 3_600_000, NOW), '1 h ago');
  assert.equal(ago(NOW - 5_400_000, NOW), '1 h 30 min ago');
  assert.equal(ago(NOW - 50 * 3_600_000, NOW), '2 d ago');
  assert.equal(timeView(null, NOW), null);
  assert.equal(timeView('', NOW), null);
  assert.deepEqual(timeView('not a time', NOW), { iso: 'not a time', utc: 'not a time', ago: 'not a time' });
});

test('an empty list is an empty view', () => {
  const view = buildProxiesView([], NOW);
  assert.deepEqual(view.proxies, []);
  assert.equal(view.summary.total, 0);
  assert.deepEqual(view.namespaces, []);
});

test('each row carries its sidecar certificate, matched by proxy id; a failed certificates API reads "not reported"', () => {
  const list = [proxy('reviews-v1.default', 'SYNCED'), proxy('details-v1.default', 'SYNCED')];
  const view = buildProxiesView(list, NOW, {
    ok: true,
    data: [
      {
        proxy: 'reviews-v1.default',
        workload: 'reviews-v1',
        namespace: 'default',
        status: 'ok',
        identity: 'spiffe://cluster.local/ns/default/sa/reviews',
        certificate: {
          spiffeId: 'spiffe://cluster.local/ns/default/sa/reviews',
          serialNumber: '01',
          notBefore: new Date(NOW - 13 * 3_600_000).toISOString(),
          notAfter: new Date(NOW + 11 * 3_600_000).toISOString(),
          secondsToExpiry: 11 * 3600,
          lifeLeftShare: 11 / 24,
        },
        rotations: 0,
        renewFailures: 0,
        lastRenewError: null,
      },
    ],
  });
  const byId = new Map(view.proxies.map((p) => [p.id, p.cert]));
  assert.equal(byId.get('reviews-v1.default')?.text, 'expires in 11 h');
  // Listed by the sync list but absent from the certificates answer.
  assert.equal(byId.get('details-v1.default')?.state, 'not-reported');
  assert.deepEqual(view.certs, { ok: true });

  const failed = buildProxiesView(list, NOW, { ok: false, code: 'CONTROL_PLANE_NOT_FOUND', detail: null });
  assert.deepEqual(
    failed.proxies.map((p) => p.cert.state),
    ['not-reported', 'not-reported'],
  );
  assert.equal(failed.certs.ok, false);
});
