import assert from 'node:assert/strict';
import { X509Certificate as NodeX509, type webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspect } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { spiffeUri } from '@trellis/shared/spiffe';
import {
  addCertificatesService,
  type CaLogger,
  CaSetupError,
  CertificateAuthority,
  generateRoot,
} from '../src/ca/index';
import { certificatesServiceDefinition, type WireSignResponse } from '../src/ca/proto';
import { subtle, x509 } from '../src/ca/x509';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-ca-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function capture(): { log: CaLogger; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log: (level, message, fields) => lines.push(JSON.stringify({ level, message, ...fields })),
  };
}

const mode = (p: string) => statSync(p).mode & 0o777;

async function makeCsr(sans: { type: 'url'; value: string }[] = []): Promise<string> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await subtle.generateKey(alg, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const extensions = sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : [];
  return (
    await x509.Pkcs10CertificateRequestGenerator.create({ keys, signingAlgorithm: alg, extensions })
  ).toString('pem');
}

test('first start creates the root (key 0600) and the join token (0600); later starts reuse them', async (t) => {
  const dir = tempDir(t);
  const first = await CertificateAuthority.open({ dataDir: dir, log: capture().log });
  assert.equal(first.rootOrigin, 'created');
  assert.equal(mode(join(dir, 'ca', 'root-key.pem')), 0o600);
  assert.equal(mode(join(dir, 'ca', 'root-cert.pem')), 0o644);
  assert.equal(mode(join(dir, 'join-token')), 0o600);
  assert.equal(mode(join(dir, 'ca')), 0o700);
  const token = readFileSync(join(dir, 'join-token'), 'utf8').trim();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');

  const again = await CertificateAuthority.open({ dataDir: dir, log: capture().log });
  assert.equal(again.rootOrigin, 'data-dir');
  assert.equal(again.rootCertPem, first.rootCertPem);
  assert.equal(readFileSync(join(dir, 'join-token'), 'utf8').trim(), token);
});

test('a CA key file that became group-readable is set back to 0600 on start', async (t) => {
  const dir = tempDir(t);
  await CertificateAuthority.open({ dataDir: dir, log: capture().log });
  const keyFile = join(dir, 'ca', 'root-key.pem');
  const { chmodSync } = await import('node:fs');
  chmodSync(keyFile, 0o644);
  const { log, lines } = capture();
  await CertificateAuthority.open({ dataDir: dir, log });
  assert.equal(mode(keyFile), 0o600);
  assert.ok(lines.some((l) => l.includes('"warn"') && l.includes('0600')));
});

test('an operator-supplied root is used as is; a key that does not match it is refused at start', async (t) => {
  const dir = tempDir(t);
  const now = Date.now();
  const validity = {
    trustDomain: 'corp.example',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 86_400_000),
  };
  const a = await generateRoot(validity);
  const b = await generateRoot(validity);
  writeFileSync(join(dir, 'a.crt'), a.root.certPem);
  writeFileSync(join(dir, 'a.key'), a.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'b.key'), b.keyPem, { mode: 0o600 });
  const ca = await CertificateAuthority.open({
    dataDir: dir,
    trustDomain: 'corp.example',
    rootFiles: { certFile: join(dir, 'a.crt'), keyFile: join(dir, 'a.key') },
    log: capture().log,
  });
  assert.equal(ca.rootOrigin, 'operator');
  assert.equal(ca.rootCertPem, a.root.certPem);
  await assert.rejects(
    CertificateAuthority.open({
      dataDir: dir,
      rootFiles: { certFile: join(dir, 'a.crt'), keyFile: join(dir, 'b.key') },
      log: capture().log,
    }),
    (err: unknown) =>
      err instanceof CaSetupError &&
      err.code === 'CA_ROOT_KEY_MISMATCH' &&
      !err.message.includes(b.keyPem.slice(40, 80)),
  );
});

test('half a root (key without certificate) is reported, not replaced', async (t) => {
  const dir = tempDir(t);
  await CertificateAuthority.open({ dataDir: dir, log: capture().log });
  rmSync(join(dir, 'ca', 'root-cert.pem'));
  await assert.rejects(
    CertificateAuthority.open({ dataDir: dir, log: capture().log }),
    (err: unknown) => err instanceof CaSetupError && err.code === 'CA_ROOT_INCOMPLETE',
  );
});

interface GrpcResult {
  response?: WireSignResponse;
  error?: grpc.ServiceError;
}

async function startGrpc(t: { after: (fn: () => void) => void }, ca: CertificateAuthority) {
  const server = new grpc.Server();
  addCertificatesService(server, ca);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  const Client = grpc.makeGenericClientConstructor(certificatesServiceDefinition(), 'Certificates');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  t.after(() => {
    client.close();
    server.forceShutdown();
  });
  const sign = (request: Record<string, unknown>, token?: string): Promise<GrpcResult> => {
    const md = new grpc.Metadata();
    if (token !== undefined) md.set('authorization', `Bearer ${token}`);
    return new Promise((resolve) => {
      client.Sign!(
        request,
        md,
        { deadline: Date.now() + 10_000 },
        (error: grpc.ServiceError | null, response: WireSignResponse) =>
          resolve(error ? { error } : { response }),
      );
    });
  };
  return { sign };
}

test('Certificates.Sign over gRPC: the join token gets a certificate for the claimed identity', async (t) => {
  const dir = tempDir(t);
  const ca = await CertificateAuthority.open({ dataDir: dir, log: capture().log });
  const token = readFileSync(join(dir, 'join-token'), 'utf8').trim();
  const { sign } = await startGrpc(t, ca);
  const ok = await sign(
    { csr_pem: await makeCsr(), validity_seconds: 600, namespace: 'default', service_account: 'reviews' },
    token,
  );
  assert.ok(ok.response, ok.error?.details);
  const leaf = new NodeX509(ok.response.cert_chain_pem[0]!);
  assert.equal(
    leaf.subjectAltName,
    `URI:${spiffeUri({ trustDomain: 'cluster.local', namespace: 'default', serviceAccount: 'reviews' })}`,
  );
  assert.equal(ok.response.root_cert_pem, ca.rootCertPem);
  assert.ok(leaf.verify(new NodeX509(ca.rootCertPem).publicKey));
});

test('Certificates.Sign refusals carry the right status and say what to do', async (t) => {
  const dir = tempDir(t);
  const ca = await CertificateAuthority.open({
    dataDir: dir,
    log: capture().log,
    lifetime: { maxSeconds: 3600 },
  });
  const token = readFileSync(join(dir, 'join-token'), 'utf8').trim();
  const { sign } = await startGrpc(t, ca);
  const base = {
    csr_pem: await makeCsr(),
    validity_seconds: 600,
    namespace: 'default',
    service_account: 'reviews',
  };

  const noToken = await sign(base);
  assert.equal(noToken.error?.code, grpc.status.UNAUTHENTICATED);
  assert.match(noToken.error.details, /join-token/);
  const badToken = await sign(base, `${token}x`);
  assert.equal(badToken.error?.code, grpc.status.UNAUTHENTICATED);

  const otherIdentity = await sign(
    {
      ...base,
      csr_pem: await makeCsr([{ type: 'url', value: 'spiffe://cluster.local/ns/kube-system/sa/admin' }]),
    },
    token,
  );
  assert.equal(otherIdentity.error?.code, grpc.status.PERMISSION_DENIED);
  assert.match(otherIdentity.error.details, /CA_IDENTITY_MISMATCH/);
  assert.deepEqual(otherIdentity.error.metadata.get('trellis-error-code'), ['CA_IDENTITY_MISMATCH']);

  const tooLong = await sign({ ...base, validity_seconds: 7200 }, token);
  assert.equal(tooLong.error?.code, grpc.status.INVALID_ARGUMENT);
  assert.match(tooLong.error.details, /maximum of 3600/);

  const badCsr = await sign({ ...base, csr_pem: 'not a csr' }, token);
  assert.equal(badCsr.error?.code, grpc.status.INVALID_ARGUMENT);
  const badName = await sign({ ...base, namespace: 'Bad Name' }, token);
  assert.equal(badName.error?.code, grpc.status.INVALID_ARGUMENT);
});

test('the root key never appears in logs, errors, responses or dumps of the CA', async (t) => {
  const dir = tempDir(t);
  const { log, lines } = capture();
  const ca = await CertificateAuthority.open({ dataDir: dir, log, lifetime: { maxSeconds: 3600 } });
  const token = readFileSync(join(dir, 'join-token'), 'utf8').trim();
  const { sign } = await startGrpc(t, ca);
  const seen: string[] = [];
  const csrPem = await makeCsr();
  for (const [req, tok] of [
    [{ csr_pem: csrPem, validity_seconds: 60, namespace: 'default', service_account: 'reviews' }, token],
    [{ csr_pem: csrPem, validity_seconds: 60, namespace: 'default', service_account: 'reviews' }, 'wrong'],
    [{ csr_pem: csrPem, validity_seconds: 99_999, namespace: 'default', service_account: 'reviews' }, token],
    [{ csr_pem: 'junk', validity_seconds: 60, namespace: 'default', service_account: 'reviews' }, token],
  ] as const) {
    const r = await sign(req, tok);
    seen.push(
      JSON.stringify(r.response ?? {}),
      r.error?.details ?? '',
      JSON.stringify(r.error?.metadata.getMap() ?? {}),
    );
  }
  seen.push(...lines, JSON.stringify(ca), inspect(ca, { depth: 20, showHidden: true }));

  const keyPem = readFileSync(join(dir, 'ca', 'root-key.pem'), 'utf8');
  const body = keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  assert.ok(body.length > 100);
  const haystack = seen.join('\n').replace(/\s+/g, '');
  // Any 24-character run of the key's base64 body would be a leak.
  for (let i = 0; i + 24 <= body.length; i += 8)
    assert.ok(!haystack.includes(body.slice(i, i + 24)), `leak at ${i}`);
  assert.ok(!haystack.includes(token), 'the join token is not echoed either');
  assert.ok(lines.length >= 4, 'the CA did log the requests');
});
