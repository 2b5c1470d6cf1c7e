import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { admitStream, refusalStatus, type StreamCredentialCheck } from './stream-auth';

const plaintext = { kind: 'plaintext' } as const;
const reviews = { namespace: 'default', serviceAccount: 'reviews' };
const md = new grpc.Metadata();

test('plaintext is admitted as claimed only when there is no credential check (no CA)', async () => {
  assert.deepEqual(await admitStream(plaintext, md, reviews, undefined), { ok: true, by: 'none' });
  const accept: StreamCredentialCheck = async () => ({ ok: true });
  assert.deepEqual(await admitStream(plaintext, md, reviews, accept), {
    ok: true,
    by: 'bootstrap-credential',
  });
});

test('a refused or failing credential check refuses the stream with a stable code', async () => {
  const unauthenticated: StreamCredentialCheck = async () => ({
    ok: false,
    status: grpc.status.UNAUTHENTICATED,
    code: 'CA_UNAUTHENTICATED',
    message: 'no bearer token; send the join token',
  });
  const r = await admitStream(plaintext, md, reviews, unauthenticated);
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.status, grpc.status.UNAUTHENTICATED);
  const status = refusalStatus(r);
  assert.match(status.details ?? '', /^XDS_UNAUTHENTICATED: .*no bearer token/);
  assert.deepEqual(status.metadata?.get('trellis-error-code'), ['XDS_UNAUTHENTICATED']);

  const mismatch: StreamCredentialCheck = async () => ({
    ok: false,
    status: grpc.status.PERMISSION_DENIED,
    code: 'CA_IDENTITY_MISMATCH',
    message: 'the token is for default/ratings',
  });
  assert.deepEqual(await admitStream(plaintext, md, reviews, mismatch), {
    ok: false,
    status: grpc.status.PERMISSION_DENIED,
    code: 'XDS_PERMISSION_DENIED',
    message: 'CA_IDENTITY_MISMATCH: the token is for default/ratings',
  });

  const broken: StreamCredentialCheck = async () => {
    throw new Error('TokenReview down');
  };
  const failed = await admitStream(plaintext, md, reviews, broken);
  assert.equal(failed.ok, false, 'a failing check does not open the door');
});

test('a TLS stream is judged by its certificate, never by the credential check', async () => {
  const never: StreamCredentialCheck = async () => {
    throw new Error('not asked over TLS');
  };
  const tls = {
    kind: 'tls',
    spiffeId: 'spiffe://cluster.local/ns/default/sa/reviews',
    namespace: 'default',
    serviceAccount: 'reviews',
  } as const;
  assert.deepEqual(await admitStream(tls, md, reviews, never), { ok: true, by: 'certificate' });
  const other = await admitStream(tls, md, { namespace: 'default', serviceAccount: 'ratings' }, never);
  assert.equal(other.ok, false);
  assert.equal(!other.ok && other.status, grpc.status.PERMISSION_DENIED);
});
