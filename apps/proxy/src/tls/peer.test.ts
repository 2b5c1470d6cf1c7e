import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PeerCertificate } from 'node:tls';
import { checkServerSpiffeId, identityFromSan, uriSans } from './peer';

test('URI SANs are read from node’s subjectAltName string, quoted or not', () => {
  assert.deepEqual(uriSans('URI:spiffe://cluster.local/ns/default/sa/reviews, DNS:reviews'), [
    'spiffe://cluster.local/ns/default/sa/reviews',
  ]);
  assert.deepEqual(uriSans('DNS:a, URI:"spiffe://td/ns/a/sa/b, DNS:evil", IP Address:127.0.0.1'), [
    'spiffe://td/ns/a/sa/b, DNS:evil',
  ]);
  assert.deepEqual(uriSans(undefined), []);
});

test('a certificate names a workload only with exactly one valid SPIFFE id', () => {
  const one = identityFromSan('URI:spiffe://cluster.local/ns/default/sa/reviews');
  assert.equal(one?.principal, 'cluster.local/ns/default/sa/reviews');
  assert.equal(one?.spiffeId, 'spiffe://cluster.local/ns/default/sa/reviews');
  assert.equal(
    identityFromSan('URI:spiffe://cluster.local/ns/default/sa/a, URI:spiffe://cluster.local/ns/default/sa/b'),
    undefined,
  );
  assert.equal(identityFromSan('URI:"spiffe://td/ns/a/sa/b, DNS:evil"'), undefined);
  assert.equal(identityFromSan('DNS:reviews.default.svc'), undefined);
});

test('the client checks the server’s trust domain and, when given, the expected identity', () => {
  const cert = { subjectaltname: 'URI:spiffe://cluster.local/ns/default/sa/reviews' } as PeerCertificate;
  assert.equal(checkServerSpiffeId(cert, 'cluster.local'), undefined);
  assert.equal(
    checkServerSpiffeId(cert, 'cluster.local', ['cluster.local/ns/default/sa/reviews']),
    undefined,
  );
  assert.equal(
    checkServerSpiffeId(cert, 'cluster.local', ['spiffe://cluster.local/ns/default/sa/reviews']),
    undefined,
  );
  assert.match(
    String(checkServerSpiffeId(cert, 'cluster.local', ['cluster.local/ns/default/sa/ratings'])),
    /expected/,
  );
  assert.match(String(checkServerSpiffeId(cert, 'other.domain')), /trust domain/);
  assert.match(
    String(checkServerSpiffeId({ subjectaltname: 'DNS:x' } as PeerCertificate, 'cluster.local')),
    /no SPIFFE/,
  );
});
