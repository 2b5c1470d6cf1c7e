import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ProxyCertsWire, proxyCertsListSchema } from '../../../lib/wire/proxy-admin';
import { certCell, inText } from './cert-cell';

const H = 3_600_000;
const issued = Date.parse('2026-01-01T00:00:00Z');

function ok(lifeHours = 24, over: Partial<Extract<ProxyCertsWire, { status: 'ok' }>> = {}): ProxyCertsWire {
  // Parsed with the console's schema, as the loader does.
  const [parsed] = proxyCertsListSchema.parse([
    {
      proxy: 'reviews-v1.default',
      workload: 'reviews-v1',
      namespace: 'default',
      status: 'ok',
      identity: 'spiffe://cluster.local/ns/default/sa/reviews',
      certificate: {
        spiffeId: 'spiffe://cluster.local/ns/default/sa/reviews',
        serialNumber: '3f:a2',
        notBefore: new Date(issued).toISOString(),
        notAfter: new Date(issued + lifeHours * H).toISOString(),
        secondsToExpiry: lifeHours * 3600,
        lifeLeftShare: 1,
      },
      rotations: 2,
      renewFailures: 0,
      lastRenewError: null,
      ...over,
    },
  ]);
  return parsed!;
}

test('a valid certificate: "expires in 11 h" with its SPIFFE id, green', () => {
  const c = certCell(ok(), issued + 13 * H);
  assert.equal(c.state, 'valid');
  assert.equal(c.text, 'expires in 11 h');
  assert.equal(c.tone, 'ok');
  assert.equal(c.spiffeId, 'spiffe://cluster.local/ns/default/sa/reviews');
  assert.equal(c.notAfter?.utc, '2026-01-02 00:00:00 UTC');
  assert.match(c.title, /Serial 3f:a2/);
});

test('under 10 % of its life left is red; expired is red and says since when', () => {
  const expiring = certCell(ok(), issued + 22 * H);
  assert.deepEqual([expiring.state, expiring.tone, expiring.text], ['expiring', 'bad', 'expires in 2 h']);
  // Exactly 10 % left is not yet "expiring".
  assert.equal(certCell(ok(10), issued + 9 * H).state, 'valid');
  const expired = certCell(ok(), issued + 24 * H + 3 * 60_000);
  assert.deepEqual([expired.state, expired.tone, expired.text], ['expired', 'bad', 'expired 3 min ago']);
});

test('no certificate yet, no mesh identity, unreachable, not reported', () => {
  const none = certCell(ok(24, { certificate: null, lastRenewError: 'CA unavailable' }), issued);
  assert.deepEqual(
    [none.state, none.text, none.spiffeId],
    ['none', 'no certificate yet', 'spiffe://cluster.local/ns/default/sa/reviews'],
  );
  assert.match(none.title, /CA unavailable/);
  const who = { proxy: 'x.default', workload: 'x', namespace: 'default' };
  assert.equal(certCell({ ...who, status: 'no-identity' }, issued).text, 'no mesh identity');
  const gone = certCell(
    {
      ...who,
      status: 'unreachable',
      failure: { kind: 'unreachable', message: 'ECONNREFUSED' },
      connected: false,
    },
    issued,
  );
  assert.deepEqual([gone.state, gone.text, gone.tone], ['unreachable', 'unreachable', 'warn']);
  assert.match(gone.title, /ECONNREFUSED/);
  assert.equal(certCell(undefined, issued).state, 'not-reported');
});

test('inText is coarse and never negative', () => {
  assert.equal(inText(-5_000), 'in 0 s');
  assert.equal(inText(59_999), 'in 59 s');
  assert.equal(inText(12 * 60_000), 'in 12 min');
  assert.equal(inText(47 * H), 'in 47 h');
  assert.equal(inText(72 * H), 'in 3 d');
});
