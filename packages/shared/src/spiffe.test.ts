import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSpiffeUri, principalOf, spiffeUri } from './spiffe';

test('a SPIFFE id round-trips through its URI', () => {
  const id = { trustDomain: 'cluster.local', namespace: 'default', serviceAccount: 'bookinfo-reviews' };
  const uri = spiffeUri(id);
  assert.equal(uri, 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews');
  assert.deepEqual(parseSpiffeUri(uri), { ok: true, identity: id });
  assert.equal(principalOf(id), 'cluster.local/ns/default/sa/bookinfo-reviews');
});

test('URIs that are not workload ids are refused with a reason', () => {
  for (const uri of [
    'https://cluster.local/ns/default/sa/x',
    'spiffe://cluster.local/ns/default',
    'spiffe://cluster.local/ns/Default/sa/x',
    'spiffe://cluster.local/ns/default/sa/x/extra',
    'spiffe://Cluster.Local/ns/default/sa/x',
  ]) {
    const r = parseSpiffeUri(uri);
    assert.equal(r.ok, false, uri);
    if (!r.ok) assert.ok(r.reason.length > 0);
  }
});
