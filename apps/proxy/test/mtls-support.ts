/**
 * Support for the mTLS and authorization tests: sidecars with mesh identities from an in-memory
 * CA (TestCa signs as the control plane's CA does), configs whose endpoints ask for ISTIO_MUTUAL,
 * and raw clients (plaintext, TLS with any certificate) aimed straight at an inbound port.
 */
import { type webcrypto, X509Certificate } from 'node:crypto';
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { AuthorizationPolicyConfig, ClusterEndpoint, MtlsMode, ProxyConfig } from '@trellis/shared';
import { CertificateManager } from '../src/tls/certificate-manager';
import { TestCa } from '../src/tls/testing';
import { subtle, x509 } from '../src/tls/x509';
import {
  cluster,
  endpoint,
  forward,
  proxyConfig,
  type Sidecar,
  startApp,
  startSidecar,
  vhost,
} from './harness';

export const spiffe = (sa: string, ns = 'default') => `spiffe://cluster.local/ns/${ns}/sa/${sa}`;

export interface TestContextLike {
  after(fn: () => unknown): void;
}

export async function identity(
  t: TestContextLike,
  ca: TestCa,
  serviceAccount: string,
  lifetimeSeconds = 3600,
): Promise<CertificateManager> {
  const m = new CertificateManager({ signer: ca, namespace: 'default', serviceAccount, lifetimeSeconds });
  t.after(() => m.stop());
  await m.start();
  return m;
}

export function inboundConfig(
  appPort: number,
  mode: MtlsMode,
  authorization: AuthorizationPolicyConfig[] = [],
  version = '1',
): ProxyConfig {
  const c = proxyConfig(version, [], [], appPort);
  c.inbound.mtls = { mode, portLevel: {} };
  c.inbound.authorization = authorization;
  return c;
}

/** A client config sending reviews:9080 to one endpoint, mTLS when `principal` is given. */
export function clientConfig(
  peerInbound: number,
  principal: string | undefined,
  protocol: 'HTTP' | 'HTTP2' = 'HTTP',
): ProxyConfig {
  const ep: ClusterEndpoint = {
    ...endpoint(peerInbound, 'v1', 'reviews'),
    ...(principal ? { tlsMode: 'ISTIO_MUTUAL' as const, principal } : {}),
  };
  const c = cluster('reviews', 9080, [ep], { protocol });
  return proxyConfig('1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c]);
}

export interface Pair {
  ca: TestCa;
  server: Sidecar;
  client: Sidecar;
  appPort: number;
  /** Paths (with query) the app received. */
  seen: string[];
}

/** reviews (app + sidecar, in `mode`) and a productpage sidecar sending to it over mTLS. */
export async function meshPair(
  t: TestContextLike,
  mode: MtlsMode,
  o: {
    authorization?: AuthorizationPolicyConfig[];
    clientAccount?: string;
    lifetimeSeconds?: number;
    /** The app speaks h2c only (what the inbound side sends when the peer used HTTP/2). */
    h2App?: boolean;
  } = {},
): Promise<Pair> {
  const ca = await TestCa.create();
  const seen: string[] = [];
  const app = o.h2App
    ? await startH2App(seen)
    : await startApp('reviews', 'v1', (req, res) => {
        seen.push(req.url ?? '');
        const body = JSON.stringify({ path: req.url, source: req.headers['x-trellis-source'] ?? null });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
  t.after(() => app.close());
  const server = await startSidecar({
    workload: 'reviews-v1',
    serviceAccount: 'reviews',
    appPort: app.port,
    services: [{ name: 'reviews', port: 9080 }],
    certificates: await identity(t, ca, 'reviews', o.lifetimeSeconds),
    config: inboundConfig(app.port, mode, o.authorization),
  });
  t.after(() => server.close(10));
  const account = o.clientAccount ?? 'productpage';
  const client = await startSidecar({
    workload: `${account}-v1`,
    serviceAccount: account,
    appPort: 1,
    certificates: await identity(t, ca, account, o.lifetimeSeconds),
    config: clientConfig(server.ports.inbound, spiffe('reviews')),
  });
  t.after(() => client.close(10));
  return { ca, server, client, appPort: app.port, seen };
}

/** One raw HTTP/1.1 exchange over `socket`; resolves with the status (0: closed without one). */
export function rawRequest(
  socket: net.Socket | tls.TLSSocket,
  path: string,
  host = 'reviews:9080',
): Promise<number> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (status: number) => {
      socket.destroy();
      resolve(status);
    };
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buf += d;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(buf);
      if (m && buf.includes('\r\n\r\n')) done(Number(m[1]));
    });
    socket.on('error', () => done(0));
    socket.on('close', () => done(0));
    socket.write(`GET ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\n\r\n`);
  });
}

/** Plaintext HTTP/1.1 straight to a port, the path sent byte for byte. */
export function plainGet(port: number, path = '/', host?: string): Promise<number> {
  const s = net.connect(port, '127.0.0.1');
  return new Promise((resolve) => {
    s.once('error', () => resolve(0));
    s.once('connect', () => resolve(rawRequest(s, path, host)));
  });
}

/** TLS with the given client certificate straight to an inbound port: the status, or 0 when refused. */
export function tlsGet(
  port: number,
  client: { key: string; cert: string; ca: string } | null,
  path = '/',
): Promise<number> {
  return new Promise((resolve) => {
    const s = tls.connect({
      host: '127.0.0.1',
      port,
      ...(client ?? {}),
      // The test only cares whether the sidecar accepts us; it is not checking the sidecar here.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
    });
    s.once('error', () => resolve(0));
    s.once('secureConnect', () => resolve(rawRequest(s, path)));
  });
}

/** A key and a certificate for `sa` from `ca` with explicit validity (expired, not yet valid). */
export async function certificateFor(
  ca: TestCa,
  sa: string,
  notBefore: Date,
  notAfter: Date,
): Promise<{ key: string; cert: string; ca: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await ca.issue(
    keys.publicKey,
    { namespace: 'default', serviceAccount: sa },
    notBefore,
    notAfter,
  );
  const key = x509.PemConverter.encode(await subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { key, cert, ca: ca.rootPem };
}

export function serialOf(pem: string): string {
  return new X509Certificate(pem).serialNumber;
}

/** One HTTP/2 (h2c prior knowledge) GET through a sidecar's outbound listener. */
export function h2Get(
  port: number,
  authority: string,
  path = '/',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const req = session.request({ ':method': 'GET', ':path': path, ':authority': authority });
    let status = 0;
    let body = '';
    req.on('response', (h) => {
      status = Number(h[':status']);
    });
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    req.on('error', reject);
    req.end();
  });
}

async function startH2App(seen: string[]): Promise<{ port: number; close(): Promise<void> }> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  server.on('stream', (stream, headers) => {
    seen.push(String(headers[':path']));
    stream.respond({ ':status': 200, 'content-type': 'text/plain' });
    stream.end('h2');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sessions) s.destroy();
      }),
  };
}
