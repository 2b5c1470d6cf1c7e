import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proxyCertsStatus } from './certs';
import { adminCertsSchema } from './schemas';

const ref = { proxy: 'reviews-v1.default', workload: 'reviews-v1', namespace: 'default', connected: true };
const answer = adminCertsSchema.parse({
  identity: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews',
  rotations: 1,
  renewFailures: 0,
  lastRenewError: null,
  certificate: {
    serialNumber: '0a1b',
    spiffeId: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews',
    validFrom: '2026-01-01T00:00:00.000Z',
    expirationTime: '2026-01-02T00:00:00.000Z',
    receivedAt: '2026-01-01T00:00:01.000Z',
    secondsUntilExpiration: 86399,
  },
});

test('seconds to expiry and the share of life left are judged at the read', () => {
  const s = proxyCertsStatus(ref, { ok: true, value: answer }, new Date('2026-01-01T18:00:00Z'));
  assert.equal(s.status, 'ok');
  if (s.status !== 'ok') return;
  assert.equal(s.certificate?.spiffeId, 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews');
  assert.equal(s.certificate?.secondsToExpiry, 6 * 3600);
  assert.equal(s.certificate?.lifeLeftShare, 0.25);
});

test('an expired certificate has negative seconds and no life left', () => {
  const s = proxyCertsStatus(ref, { ok: true, value: answer }, new Date('2026-01-02T00:00:30Z'));
  assert.ok(s.status === 'ok' && s.certificate);
  assert.equal(s.certificate.secondsToExpiry, -30);
  assert.equal(s.certificate.lifeLeftShare, 0);
});

test('404 from /certs is "no identity"; a failed read is unreachable with the cause', () => {
  assert.equal(proxyCertsStatus(ref, { ok: true, value: undefined }, new Date()).status, 'no-identity');
  const s = proxyCertsStatus(
    { ...ref, connected: false },
    { ok: false, failure: { kind: 'unreachable', message: '127.0.0.1:1: ECONNREFUSED' } },
    new Date(),
  );
  assert.deepEqual(s, {
    proxy: 'reviews-v1.default',
    workload: 'reviews-v1',
    namespace: 'default',
    status: 'unreachable',
    failure: { kind: 'unreachable', message: '127.0.0.1:1: ECONNREFUSED' },
    connected: false,
  });
});
