/**
 * The CA and the proxy's TLS module together, over real TLS on loopback: workload certificates
 * from the control plane's CA, made into mTLS by two CertificateManagers.
 */
import assert from 'node:assert/strict';
import type { webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { CsrSigner } from '@trellis/proxy/tls/ca-client';
import { GrpcCsrSigner } from '@trellis/proxy/tls/ca-client';
import { CertificateManager } from '@trellis/proxy/tls/certificate-manager';
import { InboundTls, upgradeInbound } from '@trellis/proxy/tls/inbound';
import { peerIdentity } from '@trellis/proxy/tls/peer';
import {
  addCertificatesService,
  CertificateAuthority,
  issueCertificate,
  silentLogger,
} from '../src/ca/index';
import { subtle, x509 } from '../src/ca/x509';

type T = { after: (fn: () => unknown) => void };

async function openCa(t: T, maxSeconds = 3600) {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-mtls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ca = await CertificateAuthority.open({ dataDir: dir, log: silentLogger, lifetime: { maxSeconds } });
  const token = readFileSync(join(dir, 'join-token'), 'utf8').trim();
  return { ca, token };
}

/** The CA in-process, for tests that are about TLS rather than the gRPC hop. */
function localSigner(ca: CertificateAuthority, token: string): CsrSigner {
  return {
    async sign(req) {
      const r = await ca.sign({
        bearerToken: token,
        claimed: { namespace: req.namespace, serviceAccount: req.serviceAccount },
        csrPem: req.csrPem,
        validitySeconds: req.validitySeconds,
      });
      if (!r.ok) throw new Error(r.error.message);
      return { certChainPem: r.issued.chainPem, rootPem: r.issued.rootPem };
    },
  };
}

async function managerFor(t: T, signer: CsrSigner, serviceAccount: string, lifetimeSeconds = 600) {
  const m = new CertificateManager({ signer, namespace: 'default', serviceAccount, lifetimeSeconds });
  t.after(() => m.stop());
  await m.start();
  return m;
}

/** A mesh server: answers each line with "<what it saw of the client>". */
async function meshServer(t: T, m: CertificateManager) {
  const server = tls.createServer(m.serverOptions(), (s) => {
    s.on('error', () => {});
    s.on('data', () =>
      s.write(`${peerIdentity(s)?.spiffeId ?? 'anonymous'};${s.getPeerX509Certificate()?.serialNumber}\n`),
    );
  });
  const detach = m.attachServer(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    detach();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

type Exchange = { ok: true; reply: string; server: string | undefined } | { ok: false; error: string };

function exchange(port: number, options: tls.ConnectionOptions): Promise<Exchange> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, ...options });
    let reply = '';
    const done = (r: Exchange) => {
      s.destroy();
      resolve(r);
    };
    s.setTimeout(5000, () => done({ ok: false, error: 'timeout' }));
    s.on('secureConnect', () => s.write('hello\n'));
    s.on('data', (d) => {
      reply += d;
      if (reply.endsWith('\n')) done({ ok: true, reply: reply.trim(), server: peerIdentity(s)?.spiffeId });
    });
    s.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, error: `${e.code ?? ''} ${e.message}` }));
    s.on('close', () => done({ ok: false, error: 'closed without a reply' }));
  });
}

test('two proxies with CA-issued certificates complete mTLS and each sees the other’s SPIFFE id', async (t) => {
  const { ca, token } = await openCa(t);
  const grpcServer = new grpc.Server();
  addCertificatesService(grpcServer, ca);
  const grpcPort = await new Promise<number>((res, rej) =>
    grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? rej(e) : res(p),
    ),
  );
  t.after(() => grpcServer.forceShutdown());
  const signer = new GrpcCsrSigner({ address: `127.0.0.1:${grpcPort}`, token: () => token });
  const reviews = await managerFor(t, signer, 'reviews');
  const productpage = await managerFor(t, signer, 'productpage');
  const port = await meshServer(t, reviews);
  const r = await exchange(port, productpage.clientOptions());
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.reply.split(';')[0], 'spiffe://cluster.local/ns/default/sa/productpage');
  assert.equal(r.server, 'spiffe://cluster.local/ns/default/sa/reviews');
});

test('the client refuses a server that is not the identity the route expects', async (t) => {
  const { ca, token } = await openCa(t);
  const reviews = await managerFor(t, localSigner(ca, token), 'reviews');
  const productpage = await managerFor(t, localSigner(ca, token), 'productpage');
  const port = await meshServer(t, reviews);
  const wrong = await exchange(
    port,
    productpage.clientOptions({ expected: ['cluster.local/ns/default/sa/ratings'] }),
  );
  assert.equal(wrong.ok, false);
  if (!wrong.ok) assert.match(wrong.error, /expected cluster.local\/ns\/default\/sa\/ratings/);
  const right = await exchange(
    port,
    productpage.clientOptions({ expected: ['cluster.local/ns/default/sa/reviews'] }),
  );
  assert.ok(right.ok);
});

test('a certificate from another CA is refused, by the server and by the client', async (t) => {
  const mesh = await openCa(t);
  const other = await openCa(t);
  const reviews = await managerFor(t, localSigner(mesh.ca, mesh.token), 'reviews');
  const client = await managerFor(t, localSigner(mesh.ca, mesh.token), 'productpage');
  // Same name, other CA: the name alone must not get anyone in.
  const intruder = await managerFor(t, localSigner(other.ca, other.token), 'productpage');
  const fakeServer = await managerFor(t, localSigner(other.ca, other.token), 'reviews');

  const port = await meshServer(t, reviews);
  const refusedByServer = await exchange(port, intruder.clientOptions());
  assert.equal(refusedByServer.ok, false);

  const fakePort = await meshServer(t, fakeServer);
  const refusedByClient = await exchange(fakePort, client.clientOptions());
  assert.equal(refusedByClient.ok, false);
  if (!refusedByClient.ok)
    assert.match(refusedByClient.error, /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY|unable to verify/i);

  assert.ok((await exchange(port, client.clientOptions())).ok, 'the mesh client still gets in');
});

async function keyPair() {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const keyPem = x509.PemConverter.encode(await subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { keys, keyPem };
}

test('expired and not-yet-valid certificates are refused on both sides', async (t) => {
  const { ca, token } = await openCa(t);
  const reviews = await managerFor(t, localSigner(ca, token), 'reviews');
  const productpage = await managerFor(t, localSigner(ca, token), 'productpage');
  const identity = { trustDomain: 'cluster.local', namespace: 'default', serviceAccount: 'productpage' };
  const hour = 3_600_000;
  const now = Date.now();
  const windows = {
    CERT_HAS_EXPIRED: [new Date(now - 2 * hour), new Date(now - hour)],
    CERT_NOT_YET_VALID: [new Date(now + hour), new Date(now + 2 * hour)],
  } as const;

  // Server side, through the inbound path the proxy uses, which reports why it refused.
  const inbound = new InboundTls(reviews);
  const reasons: string[] = [];
  const listener = net.createServer(async (socket) => {
    socket.on('error', () => {});
    const r = await upgradeInbound(socket, inbound);
    if (r.ok) r.socket.end('welcome\n');
    else reasons.push(r.detail);
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  t.after(() => {
    inbound.close();
    listener.close();
  });
  const inboundPort = (listener.address() as net.AddressInfo).port;

  for (const [code, [notBefore, notAfter]] of Object.entries(windows)) {
    const { keys, keyPem } = await keyPair();
    const cert = await issueCertificate({
      ca: ca.root,
      publicKey: keys.publicKey,
      identity,
      notBefore,
      notAfter,
    });
    const r = await exchange(inboundPort, {
      key: keyPem,
      cert: cert.toString('pem'),
      ca: ca.rootCertPem,
      minVersion: 'TLSv1.3',
      checkServerIdentity: () => undefined,
    });
    assert.equal(r.ok, false, `${code}: client cert accepted`);
    assert.equal(reasons.at(-1), code);

    // Client side: a server presenting such a certificate.
    const server = tls.createServer({ key: keyPem, cert: cert.toString('pem'), minVersion: 'TLSv1.3' }, (s) =>
      s.end('hi\n'),
    );
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    t.after(() => server.close());
    const c = await exchange((server.address() as net.AddressInfo).port, productpage.clientOptions());
    assert.equal(c.ok, false, `${code}: server cert accepted`);
    if (!c.ok) assert.match(c.error, new RegExp(code));
  }
  // A valid mesh certificate still gets in, so the refusals above were about time.
  const ok = await exchange(inboundPort, productpage.clientOptions());
  assert.ok(ok.ok && ok.reply === 'welcome');
});

test('sidecar-to-sidecar TLS is 1.3 only', async (t) => {
  const { ca, token } = await openCa(t);
  const reviews = await managerFor(t, localSigner(ca, token), 'reviews');
  const productpage = await managerFor(t, localSigner(ca, token), 'productpage');
  const port = await meshServer(t, reviews);
  // A valid mesh certificate, offered over TLS 1.2.
  const { key, cert, ca: root } = productpage.current()!.contextOptions();
  const old = await exchange(port, {
    key,
    cert,
    ca: root,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    checkServerIdentity: () => undefined,
  });
  assert.equal(old.ok, false);
  const current = await exchange(port, productpage.clientOptions());
  assert.ok(current.ok);
});

test('rotation every ~2 s under steady traffic: no request fails, open connections survive', async (t) => {
  const { ca, token } = await openCa(t);
  const server = await managerFor(t, localSigner(ca, token), 'reviews', 4);
  const client = await managerFor(t, localSigner(ca, token), 'productpage', 4);
  let serverRotations = 0;
  let clientRotations = 0;
  server.on('rotated', () => serverRotations++);
  client.on('rotated', () => clientRotations++);
  const port = await meshServer(t, server);

  // One connection opened now and used throughout: it must outlive the certificates it began with.
  const longLived = tls.connect({ host: '127.0.0.1', port, ...client.clientOptions() });
  t.after(() => longLived.destroy());
  await new Promise<void>((r, j) => {
    longLived.once('secureConnect', () => r());
    longLived.once('error', j);
  });
  let longReplies = 0;
  longLived.on('data', (d) => {
    longReplies += String(d).split('\n').filter(Boolean).length;
  });

  const serials = new Set<string>();
  let ok = 0;
  const failures: string[] = [];
  const deadline = Date.now() + 7000;
  let pings = 0;
  while (Date.now() < deadline) {
    // A new connection per request, each with the client's latest certificate.
    const r = await exchange(port, client.clientOptions());
    if (r.ok) {
      ok++;
      serials.add(r.reply.split(';')[1] ?? '');
    } else failures.push(r.error);
    if (ok % 3 === 0) {
      longLived.write('ping\n');
      pings++;
    }
    await new Promise((res) => setTimeout(res, 40));
  }
  for (let i = 0; i < 100 && longReplies < pings; i++) await new Promise((res) => setTimeout(res, 20));

  if (process.env.TRELLIS_TEST_VERBOSE)
    console.log({ ok, pings, longReplies, serverRotations, clientRotations, serials: serials.size });
  assert.deepEqual(failures, []);
  assert.ok(ok >= 30, `only ${ok} requests`);
  assert.ok(
    serverRotations >= 2 && clientRotations >= 2,
    `rotations: server ${serverRotations}, client ${clientRotations}`,
  );
  assert.ok(serials.size >= 3, `the server saw ${serials.size} client certificates`);
  assert.equal(longReplies, pings, 'every ping on the long-lived connection was answered');
  assert.ok(!longLived.destroyed);
});
