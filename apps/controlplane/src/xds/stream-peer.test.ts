import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PeerCertificate } from 'node:tls';
import { claimProblem, streamPeer } from './stream-peer';

type Auth = { transportSecurityType?: string; sslPeerCertificate?: PeerCertificate };
const call = (auth: Auth) => ({ getAuthContext: () => auth });
const withSan = (subjectaltname: string) =>
  call({
    transportSecurityType: 'ssl',
    sslPeerCertificate: { subjectaltname } as PeerCertificate,
  });
const reviews = { namespace: 'default', serviceAccount: 'reviews' };

test('a TLS stream may claim only the identity its certificate names', () => {
  const peer = streamPeer(withSan('URI:spiffe://cluster.local/ns/default/sa/reviews'));
  assert.deepEqual(peer, {
    kind: 'tls',
    spiffeId: 'spiffe://cluster.local/ns/default/sa/reviews',
    namespace: 'default',
    serviceAccount: 'reviews',
  });
  assert.equal(claimProblem(peer, reviews), undefined);
  assert.match(
    claimProblem(peer, { namespace: 'default', serviceAccount: 'ratings' }) ?? '',
    /certificate is for spiffe:\/\/cluster.local\/ns\/default\/sa\/reviews, but the stream claims .*"ratings"/,
  );
  assert.match(claimProblem(peer, { namespace: 'prod', serviceAccount: 'reviews' }) ?? '', /"prod"/);
});

test('a TLS certificate without a SPIFFE id proves nothing; plaintext is judged elsewhere', () => {
  assert.match(claimProblem(streamPeer(withSan('DNS:example.com')), reviews) ?? '', /no workload identity/);
  assert.match(
    claimProblem(streamPeer(withSan('URI:spiffe://cluster.local/default/reviews')), reviews) ?? '',
    /no workload identity/,
  );
  assert.equal(claimProblem(streamPeer(call({ transportSecurityType: undefined })), reviews), undefined);
});
