import assert from 'node:assert/strict';
import { X509Certificate as NodeX509, type webcrypto } from 'node:crypto';
import { test } from 'node:test';
import { spiffeUri } from '@trellis/shared/spiffe';
import { generateRoot } from './root';
import { signCsr } from './sign';
import { subtle, x509 } from './x509';

const identity = { trustDomain: 'cluster.local', namespace: 'default', serviceAccount: 'reviews' };
const HOUR = 3600 * 1000;

async function makeRoot(now: Date, validityMs = 10 * 24 * HOUR) {
  return (
    await generateRoot({
      trustDomain: 'cluster.local',
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + validityMs),
    })
  ).root;
}

async function makeCsr(sans: { type: 'url' | 'dns'; value: string }[] = []): Promise<string> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await subtle.generateKey(alg, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    keys,
    signingAlgorithm: alg,
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
  return csr.toString('pem');
}

test('a signed certificate carries the credential’s SPIFFE id and chains to the root', async () => {
  const now = new Date();
  const ca = await makeRoot(now);
  const r = await signCsr({ ca, csrPem: await makeCsr(), identity, requestedSeconds: 3600, now });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  const leaf = new NodeX509(r.issued.certPem);
  const root = new NodeX509(r.issued.rootPem);
  assert.equal(leaf.subjectAltName, `URI:${spiffeUri(identity)}`);
  assert.ok(leaf.checkIssued(root) && leaf.verify(root.publicKey));
  assert.equal(leaf.ca, false);
  assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  const lifetimeMs = new Date(leaf.validTo).getTime() - now.getTime();
  assert.ok(
    lifetimeMs >= HOUR && lifetimeMs < HOUR + 1000,
    `at least the lifetime asked for: ${lifetimeMs} ms`,
  );
  assert.ok(new Date(leaf.validFrom) < now, 'notBefore is backdated for clock skew');
});

test('serials differ between certificates', async () => {
  const now = new Date();
  const ca = await makeRoot(now);
  const a = await signCsr({ ca, csrPem: await makeCsr(), identity, requestedSeconds: 60, now });
  const b = await signCsr({ ca, csrPem: await makeCsr(), identity, requestedSeconds: 60, now });
  assert.ok(a.ok && b.ok);
  assert.notEqual(a.issued.serial, b.issued.serial);
});

test('a CSR naming its own SPIFFE id is signed; one naming someone else is refused', async () => {
  const now = new Date();
  const ca = await makeRoot(now);
  const own = await signCsr({
    ca,
    csrPem: await makeCsr([{ type: 'url', value: spiffeUri(identity) }]),
    identity,
    requestedSeconds: 60,
    now,
  });
  assert.equal(own.ok, true);
  for (const sans of [
    [{ type: 'url' as const, value: 'spiffe://cluster.local/ns/istio-system/sa/istiod' }],
    [
      { type: 'url' as const, value: spiffeUri(identity) },
      { type: 'url' as const, value: 'spiffe://cluster.local/ns/default/sa/ratings' },
    ],
    [{ type: 'dns' as const, value: 'reviews.default.svc.cluster.local' }],
  ]) {
    const r = await signCsr({ ca, csrPem: await makeCsr(sans), identity, requestedSeconds: 60, now });
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.code, 'CA_IDENTITY_MISMATCH');
  }
});

test('a CSR whose signature does not verify is refused', async () => {
  const now = new Date();
  const ca = await makeRoot(now);
  const der = Buffer.from(x509.PemConverter.decodeFirst(await makeCsr()));
  // The last bytes are the ECDSA signature's S integer: changing one keeps the DER valid.
  der[der.length - 3] = der[der.length - 3]! ^ 0x01;
  const r = await signCsr({
    ca,
    csrPem: x509.PemConverter.encode(der, 'CERTIFICATE REQUEST'),
    identity,
    requestedSeconds: 60,
    now,
  });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'CA_CSR_SIGNATURE_INVALID');
});

test('garbage is refused as a malformed CSR', async () => {
  const now = new Date();
  const r = await signCsr({ ca: await makeRoot(now), csrPem: 'hello', identity, requestedSeconds: 60, now });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'CA_CSR_MALFORMED');
});

test('lifetimes: 0 means the default, above the maximum or negative is refused', async () => {
  const now = new Date();
  const ca = await makeRoot(now);
  const policy = { defaultSeconds: 600, maxSeconds: 3600 };
  const csrPem = await makeCsr();
  const dflt = await signCsr({ ca, csrPem, identity, requestedSeconds: 0, now, policy });
  assert.ok(dflt.ok);
  const dfltMs = dflt.issued.notAfter.getTime() - now.getTime();
  assert.ok(dfltMs >= 600_000 && dfltMs < 601_000, `${dfltMs} ms`);
  const tooLong = await signCsr({ ca, csrPem, identity, requestedSeconds: 3601, now, policy });
  assert.equal(tooLong.ok, false);
  if (!tooLong.ok) {
    assert.equal(tooLong.error.code, 'CA_LIFETIME_TOO_LONG');
    assert.match(tooLong.error.message, /3600/);
  }
  const negative = await signCsr({ ca, csrPem, identity, requestedSeconds: -5, now, policy });
  assert.equal(negative.ok, false);
  if (!negative.ok) assert.equal(negative.error.code, 'CA_LIFETIME_INVALID');
  const seconds = await signCsr({ ca, csrPem, identity, requestedSeconds: 2, now, policy });
  assert.ok(seconds.ok, 'lifetimes go down to seconds');
});

test('no certificate outlives the CA', async () => {
  const now = new Date();
  const ca = await makeRoot(now, HOUR);
  const r = await signCsr({
    ca,
    csrPem: await makeCsr(),
    identity,
    requestedSeconds: 2 * 3600,
    now,
    policy: { defaultSeconds: 60, maxSeconds: 3 * 3600 },
  });
  assert.ok(r.ok);
  assert.equal(r.issued.clampedToCa, true);
  assert.equal(r.issued.notAfter.getTime(), ca.cert.notAfter.getTime());
  assert.ok(new NodeX509(r.issued.certPem).validTo === new NodeX509(ca.certPem).validTo);
});

test('an expired CA signs nothing', async () => {
  const now = new Date();
  const ca = await makeRoot(new Date(now.getTime() - 2 * HOUR), HOUR);
  const r = await signCsr({ ca, csrPem: await makeCsr(), identity, requestedSeconds: 60, now });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'CA_ROOT_NOT_VALID');
});

test('weak keys are refused', async () => {
  const now = new Date();
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 1024,
  };
  const keys = (await subtle.generateKey(alg, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ keys, signingAlgorithm: alg });
  const r = await signCsr({
    ca: await makeRoot(now),
    csrPem: csr.toString('pem'),
    identity,
    requestedSeconds: 60,
    now,
  });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'CA_CSR_KEY_UNSUPPORTED');
});
