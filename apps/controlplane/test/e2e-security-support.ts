/**
 * Support for the security end-to-end tests (real `trellis controlplane` and `trellis proxy`
 * processes): apps that echo the path they got, raw HTTP clients aimed at any port, workload
 * certificates signed with the real mesh root (or another CA) for clients such as openssl, and
 * the secret scan.
 */
import { execFile, spawn } from 'node:child_process';
import type { webcrypto } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadOrCreateRoot } from '../src/ca/root';
import { issueCertificate } from '../src/ca/sign';
import { subtle, x509 } from '../src/ca/x509';
import {
  type ControlPlane,
  proxyFlags,
  reservePorts,
  type Sidecar,
  spawnTrellis,
  type TestContext,
  until,
} from './e2e-harness';

const exec = promisify(execFile);

export const FQDN = (svc: string) => `${svc}.default.svc.cluster.local:9080`;

export interface EchoApp {
  port: number;
  /** Paths (with query) the app received, in order. */
  seen: string[];
}

/** An app answering 200 with the path it received. */
export async function startEcho(t: TestContext, name: string): Promise<EchoApp> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    seen.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${name} ${req.url}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, seen };
}

export interface RawReply {
  status: number;
  body: string;
}

/**
 * One HTTP/1.1 request written byte for byte on a fresh connection, so nothing on the client side
 * normalises the path; `status` 0 when the connection closed without an answer.
 */
export function rawHttp(
  port: number,
  path: string,
  host: string,
  o: { method?: string; timeoutMs?: number } = {},
): Promise<RawReply> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = '';
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      const m = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n[\s\S]*?\r\n\r\n([\s\S]*)$/.exec(buf);
      resolve(m ? { status: Number(m[1]), body: m[2] ?? '' } : { status: 0, body: buf });
    };
    const timer = setTimeout(done, o.timeoutMs ?? 10_000);
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
    });
    s.on('end', done);
    s.on('close', done);
    s.on('error', done);
    s.write(`${o.method ?? 'GET'} ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\n\r\n`);
  });
}

export interface WorkloadCert {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/**
 * A workload certificate for default/`sa` with explicit validity, signed by the mesh root in the
 * control plane's data directory (as a test, we may read it; nothing the mesh serves may show it).
 */
export async function meshCertificate(
  cp: ControlPlane,
  dir: string,
  name: string,
  sa: string,
  notBefore: Date,
  notAfter: Date,
): Promise<WorkloadCert> {
  const { root } = await loadOrCreateRoot({
    dataDir: cp.dataDir,
    trustDomain: 'cluster.local',
    log: () => {},
  });
  const keys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await issueCertificate({
    ca: root,
    publicKey: keys.publicKey,
    identity: { trustDomain: 'cluster.local', namespace: 'default', serviceAccount: sa },
    notBefore,
    notAfter,
  });
  return writeCert(dir, name, cert.toString('pem'), keys.privateKey, root.certPem);
}

/** A self-made CA (not the mesh's) and a certificate from it that claims a mesh identity. */
export async function foreignCertificate(dir: string, name: string, sa: string): Promise<WorkloadCert> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const caKeys = (await subtle.generateKey(alg, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=not the mesh root',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3_600_000),
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    subject: '',
    issuer: ca.subjectName,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 3_600_000),
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.clientAuth,
        x509.ExtendedKeyUsage.serverAuth,
      ]),
      new x509.SubjectAlternativeNameExtension(
        [{ type: 'url', value: `spiffe://cluster.local/ns/default/sa/${sa}` }],
        true,
      ),
    ],
  });
  return writeCert(dir, name, cert.toString('pem'), keys.privateKey, ca.toString('pem'));
}

async function writeCert(
  dir: string,
  name: string,
  certPem: string,
  key: webcrypto.CryptoKey,
  caPem: string,
): Promise<WorkloadCert> {
  const keyPem = x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
  const out = {
    certFile: join(dir, `${name}-cert.pem`),
    keyFile: join(dir, `${name}-key.pem`),
    caFile: join(dir, `${name}-ca.pem`),
  };
  writeFileSync(out.certFile, certPem);
  writeFileSync(out.keyFile, keyPem, { mode: 0o600 });
  writeFileSync(out.caFile, caPem);
  return out;
}

/**
 * `openssl s_client` with a client certificate against a sidecar's inbound port, one HTTP request
 * on stdin. Returns the status line's code, or 0 when no HTTP answer came back.
 */
export function opensslGet(
  port: number,
  cert: WorkloadCert,
  path = '/',
): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      'openssl',
      [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-cert',
        cert.certFile,
        '-key',
        cert.keyFile,
        '-CAfile',
        cert.caFile,
        '-tls1_3',
        '-quiet',
        '-ign_eof',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      const m = /HTTP\/1\.1 (\d{3})/.exec(output);
      resolve({ status: m ? Number(m[1]) : 0, output });
    });
    // openssl may already have quit (the sidecar refused the handshake): EPIPE on its stdin is
    // that refusal, judged by the output and status above, not a test failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(`GET ${path} HTTP/1.1\r\nhost: ${FQDN('reviews')}\r\nconnection: close\r\n\r\n`);
  });
}

export async function adminJson<T>(admin: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${admin}${path}`);
  return (await res.json()) as T;
}

export interface CertsView {
  rotations: number;
  certificate: { serialNumber: string; spiffeId: string; expirationTime: string } | null;
}

export interface MeshSidecar extends Sidecar {
  metrics: number;
}

/**
 * A sidecar for `sa` with the join token, without waiting for anything but its first config
 * (e2e-harness's startSidecar). Without the token it would never get one: the control plane has a
 * CA, so plaintext ConfigDiscovery is refused (e2e-security-xds-auth.test.ts).
 */
export async function startProxy(
  t: TestContext,
  cp: ControlPlane,
  o: { workload: string; app: string; version: string; appPort: number },
): Promise<MeshSidecar> {
  const [inbound = 0, outbound = 0, admin = 0, metrics = 0] = await reservePorts(4);
  const proc = spawnTrellis(t, o.workload, [
    'proxy',
    ...proxyFlags({
      grpc: cp.grpc,
      workload: o.workload,
      app: o.app,
      version: o.version,
      service: `${o.app}:9080`,
      appPort: o.appPort,
      ports: { inbound, outbound, admin, metrics },
      joinTokenFile: join(cp.dataDir, 'join-token'),
    }),
  ]);
  await until(
    `${o.workload} to get its first config`,
    async () => (await adminJson<{ version: string | null }>(admin, '/config_dump')).version !== null,
    90_000,
    100,
    [proc],
  );
  return { workload: o.workload, admin, outbound, inbound, metrics, proc };
}

/**
 * Every 24-character run of the root key's base64 body: any of them in a response, log line or
 * dump means the key leaked (the same test E's CA tests apply to the CA's own output).
 */
export function rootKeyFragments(dataDir: string): string[] {
  const pem = readFileSync(join(dataDir, 'ca', 'root-key.pem'), 'utf8');
  const body = pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');
  const out: string[] = [];
  for (let i = 0; i + 24 <= body.length; i += 12) out.push(body.slice(i, i + 24));
  return out;
}

export function leaks(text: string, fragments: readonly string[]): string[] {
  // The body may be split across lines in a dump: compare against the text with newlines kept
  // and with them removed.
  const flat = text.replace(/\\n|\n/g, '');
  return fragments.filter((f) => text.includes(f) || flat.includes(f));
}

export async function kubectlRaw(cp: ControlPlane, args: string[]): Promise<string> {
  const { stdout } = await exec('kubectl', ['--kubeconfig', cp.kubeconfig, ...args], { timeout: 30_000 });
  return stdout;
}
