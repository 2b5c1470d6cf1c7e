import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  JoinTokenAuthenticator,
  ServiceAccountTokenAuthenticator,
  type TokenReviewer,
} from './authenticator';

const claimed = { namespace: 'default', serviceAccount: 'reviews' };

test('the join token authenticator accepts its token and takes the claimed identity', async () => {
  const auth = new JoinTokenAuthenticator('s3cret-token-value-xyz', 'mesh.example');
  const ok = await auth.authenticate({ bearerToken: 's3cret-token-value-xyz', claimed });
  assert.deepEqual(ok, { ok: true, identity: { trustDomain: 'mesh.example', ...claimed } });
  for (const bearerToken of [undefined, '', 's3cret-token-value-xy', 's3cret-token-value-xyzz', 'x']) {
    const r = await auth.authenticate({ bearerToken, claimed });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'CA_UNAUTHENTICATED');
  }
  const bad = await auth.authenticate({
    bearerToken: 's3cret-token-value-xyz',
    claimed: { namespace: 'Not_A_Label', serviceAccount: 'x' },
  });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.equal(bad.error.code, 'CA_IDENTITY_INVALID');
  assert.doesNotMatch(JSON.stringify(auth), /s3cret/);
});

function reviewer(answers: Record<string, string>): TokenReviewer {
  return {
    async review(token) {
      const username = answers[token];
      return username ? { authenticated: true, username } : { authenticated: false, error: 'token expired' };
    },
  };
}

test('the service account authenticator takes the identity from the reviewed token, not the request', async () => {
  const auth = new ServiceAccountTokenAuthenticator(
    reviewer({ t1: 'system:serviceaccount:default:reviews', t2: 'alice@example.com' }),
    'cluster.local',
  );
  const ok = await auth.authenticate({ bearerToken: 't1', claimed });
  assert.deepEqual(ok, { ok: true, identity: { trustDomain: 'cluster.local', ...claimed } });
  const empty = await auth.authenticate({
    bearerToken: 't1',
    claimed: { namespace: '', serviceAccount: '' },
  });
  assert.equal(empty.ok, true);
  const other = await auth.authenticate({
    bearerToken: 't1',
    claimed: { namespace: 'default', serviceAccount: 'ratings' },
  });
  assert.equal(other.ok, false);
  if (!other.ok) assert.equal(other.error.code, 'CA_IDENTITY_MISMATCH');
  const user = await auth.authenticate({ bearerToken: 't2', claimed });
  assert.equal(user.ok, false);
  if (!user.ok) assert.equal(user.error.code, 'CA_UNAUTHENTICATED');
  const unknown = await auth.authenticate({ bearerToken: 'nope', claimed });
  assert.equal(unknown.ok, false);
  if (!unknown.ok) assert.equal(unknown.error.code, 'CA_UNAUTHENTICATED');
});
