/**
 * Zero trust end to end on real processes: `trellis controlplane` (CA on --grpc-port, TLS beside
 * the plaintext bootstrap) and `trellis proxy` sidecars that get certificates with the join token.
 * PERMISSIVE takes plaintext and mTLS on one port; `kubectl apply` of a STRICT PeerAuthentication
 * under load fails no meshed request and cuts the unmeshed client within 2 s; STRICT refuses
 * plaintext, `openssl s_client` with another CA's certificate, and expired / not-yet-valid mesh
 * certificates; the CA refuses a CSR for someone else; AuthorizationPolicy decides on the verified
 * principal and the normalised path; the root key shows up in no response, dump or log.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { CaSignError, GrpcCsrSigner, readJoinTokenFile } from '@trellis/proxy/tls/ca-client';
import { WorkloadKey } from '@trellis/proxy/tls/keys';
import type { ProxyConfig } from '@trellis/shared';
import { type ControlPlane, kubectl, startControlPlane, suiteContext, tempDir, until } from './e2e-harness';
import {
  adminJson,
  type CertsView,
  type EchoApp,
  FQDN,
  foreignCertificate,
  kubectlRaw,
  leaks,
  type MeshSidecar,
  meshCertificate,
  opensslGet,
  rawHttp,
  rootKeyFragments,
  startEcho,
  startProxy,
} from './e2e-security-support';

const PEER_AUTH = (mode: string) => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: default }
spec:
  mtls: { mode: ${mode} }
`;

/** Waits until `admin`'s sidecar has mTLS endpoints for every service named. */
async function meshEndpoints(admin: number, services: string[]): Promise<void> {
  await until(`mTLS endpoints for ${services.join(', ')}`, async () => {
    const { config } = await adminJson<{ config: ProxyConfig | null }>(admin, '/config_dump');
    return services.every((s) =>
      config?.outbound.clusters.some(
        (c) => c.service.startsWith(`${s}.`) && c.endpoints.some((e) => e.tlsMode === 'ISTIO_MUTUAL'),
      ),
    );
  });
}

async function inboundMode(admin: number): Promise<string | undefined> {
  const { config } = await adminJson<{ config: ProxyConfig | null }>(admin, '/config_dump');
  return config?.inbound.mtls.mode;
}

/** A plain keep-alive HTTP client straight to a sidecar's inbound port (an app outside the mesh). */
function unmeshedGet(agent: Agent, port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/unmeshed',
        headers: { host: FQDN('reviews') },
        agent,
        timeout: 5000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end();
  });
}

describe('zero trust end to end (real control plane and sidecars)', () => {
  const ctx = suiteContext();
  let cp: ControlPlane;
  let dir: string;
  let reviewsApp: EchoApp;
  let ratingsApp: EchoApp;
  let pp: MeshSidecar;
  let reviews: MeshSidecar;
  let ratings: MeshSidecar;

  before(async () => {
    dir = tempDir(ctx, 'trellis-e2e-sec-');
    cp = await startControlPlane(ctx, join(dir, 'cp'));
    [reviewsApp, ratingsApp] = await Promise.all([startEcho(ctx, 'reviews'), startEcho(ctx, 'ratings')]);
    const ppApp = await startEcho(ctx, 'productpage');
    [pp, reviews, ratings] = await Promise.all([
      startProxy(ctx, cp, {
        workload: 'productpage-v1',
        app: 'productpage',
        version: 'v1',
        appPort: ppApp.port,
      }),
      startProxy(ctx, cp, {
        workload: 'reviews-v1',
        app: 'reviews',
        version: 'v1',
        appPort: reviewsApp.port,
      }),
      startProxy(ctx, cp, {
        workload: 'ratings-v1',
        app: 'ratings',
        version: 'v1',
        appPort: ratingsApp.port,
      }),
    ]);
    await meshEndpoints(pp.admin, ['reviews', 'ratings']);
    await meshEndpoints(reviews.admin, ['ratings']);
  });
  after(() => ctx.run());

  it('sidecars hold certificates for their own identity; PERMISSIVE takes plaintext and mTLS on one port', async () => {
    const certs = await adminJson<CertsView>(pp.admin, '/certs');
    assert.equal(certs.certificate?.spiffeId, 'spiffe://cluster.local/ns/default/sa/productpage');
    assert.equal(await inboundMode(reviews.admin), 'PERMISSIVE');

    const viaMesh = await rawHttp(pp.outbound, '/mesh', FQDN('reviews'));
    assert.equal(viaMesh.status, 200, viaMesh.body);
    const plain = await rawHttp(reviews.inbound, '/plain', FQDN('reviews'));
    assert.equal(plain.status, 200, plain.body);
    const now = Date.now();
    const valid = await meshCertificate(
      cp,
      dir,
      'valid',
      'sleep',
      new Date(now - 30_000),
      new Date(now + 3_600_000),
    );
    assert.equal((await opensslGet(reviews.inbound, valid, '/openssl')).status, 200);
    assert.deepEqual(reviewsApp.seen.slice(-3), ['/mesh', '/plain', '/openssl']);

    const stats = await (await fetch(`http://127.0.0.1:${reviews.admin}/stats`)).text();
    assert.match(stats, /inbound\.connections\.mtls: [1-9]/);
    assert.match(stats, /inbound\.connections\.plaintext: [1-9]/);

    // Istio's metric labels carry the verified identities and the security policy.
    const series = (await (await fetch(`http://127.0.0.1:${reviews.metrics}/metrics`)).text())
      .split('\n')
      .filter((l) => l.startsWith('istio_requests_total{') && l.includes('reporter="destination"'));
    assert.ok(
      series.some(
        (l) =>
          l.includes('source_principal="spiffe://cluster.local/ns/default/sa/productpage"') &&
          l.includes('destination_principal="spiffe://cluster.local/ns/default/sa/reviews"') &&
          l.includes('connection_security_policy="mutual_tls"'),
      ),
      series.join('\n'),
    );
    assert.ok(
      series.some(
        (l) =>
          l.includes('source_principal="unknown"') &&
          l.includes('destination_principal="unknown"') &&
          l.includes('connection_security_policy="none"'),
      ),
      series.join('\n'),
    );
  });

  it('kubectl apply STRICT under load: no meshed request fails, the unmeshed client is cut off within 2 s', async (t) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    t.after(() => agent.destroy());
    const meshed: { status: number; at: number }[] = [];
    const unmeshed: { status: number; at: number }[] = [];
    let sending = true;
    // ~20 rps from each client; the unmeshed one keeps its connection alive across the switch.
    const meshLoop = (async () => {
      while (sending) {
        const at = Date.now();
        meshed.push({ status: (await rawHttp(pp.outbound, '/load', FQDN('reviews'))).status, at });
        await sleep(50);
      }
    })();
    const plainLoop = (async () => {
      while (sending) {
        const at = Date.now();
        unmeshed.push({ status: await unmeshedGet(agent, reviews.inbound), at });
        await sleep(50);
      }
    })();
    await sleep(1000);
    await kubectl(cp, ['apply'], PEER_AUTH('STRICT'));
    const applied = Date.now();
    await sleep(4000);
    sending = false;
    await Promise.all([meshLoop, plainLoop]);

    assert.equal(await inboundMode(reviews.admin), 'STRICT');
    const meshFailed = meshed.filter((r) => r.status !== 200);
    assert.ok(meshed.length >= 40, `meshed requests: ${meshed.length}`);
    assert.deepEqual(meshFailed, [], 'no meshed request failed');
    const before = unmeshed.filter((r) => r.at < applied - 100);
    const late = unmeshed.filter((r) => r.at >= applied + 2000);
    assert.ok(
      before.length >= 5 && before.every((r) => r.status === 200),
      'the unmeshed client worked before',
    );
    assert.ok(late.length >= 5, `unmeshed attempts after 2 s: ${late.length}`);
    assert.deepEqual(
      late.filter((r) => r.status !== 0),
      [],
      'every unmeshed request from 2 s after the apply was refused',
    );
    const firstRefused = unmeshed.find((r) => r.at >= applied && r.status === 0);
    t.diagnostic(
      `unmeshed refused ${firstRefused ? firstRefused.at - applied : '?'} ms after kubectl apply returned`,
    );
  });

  it('STRICT: plaintext and other CAs refused, expired and not-yet-valid certificates refused, meshed clients served', async () => {
    assert.equal((await rawHttp(reviews.inbound, '/plain', FQDN('reviews'))).status, 0);
    const foreign = await foreignCertificate(dir, 'foreign', 'productpage');
    const refused = await opensslGet(reviews.inbound, foreign, '/foreign');
    assert.equal(refused.status, 0, refused.output);

    const now = Date.now();
    const valid = await meshCertificate(
      cp,
      dir,
      'valid2',
      'sleep',
      new Date(now - 30_000),
      new Date(now + 3_600_000),
    );
    assert.equal((await opensslGet(reviews.inbound, valid, '/strict-openssl')).status, 200);
    const expired = await meshCertificate(
      cp,
      dir,
      'expired',
      'sleep',
      new Date(now - 20_000),
      new Date(now - 10_000),
    );
    assert.equal((await opensslGet(reviews.inbound, expired, '/expired')).status, 0);
    const early = await meshCertificate(
      cp,
      dir,
      'early',
      'sleep',
      new Date(now + 3_600_000),
      new Date(now + 7_200_000),
    );
    assert.equal((await opensslGet(reviews.inbound, early, '/early')).status, 0);
    for (const p of ['/foreign', '/expired', '/early'])
      assert.ok(!reviewsApp.seen.includes(p), `${p} reached the app`);

    assert.equal((await rawHttp(pp.outbound, '/still-meshed', FQDN('reviews'))).status, 200);
    const stats = await (await fetch(`http://127.0.0.1:${reviews.admin}/stats`)).text();
    assert.match(stats, /inbound\.mtls\.refused\.plaintext-in-strict: [1-9]/);
    assert.match(stats, /inbound\.mtls\.refused\.peer-unauthorized: [3-9]/);
  });

  it('the CA refuses a CSR for another identity', async () => {
    const token = readJoinTokenFile(join(cp.dataDir, 'join-token'));
    const key = await WorkloadKey.generate();
    const signer = new GrpcCsrSigner({ address: cp.grpc, token: () => token, timeoutMs: 10_000 });
    await assert.rejects(
      signer.sign({
        csrPem: await key.createCsr({
          trustDomain: 'cluster.local',
          namespace: 'default',
          serviceAccount: 'admin',
        }),
        validitySeconds: 0,
        namespace: 'default',
        serviceAccount: 'reviews',
      }),
      (err: unknown) =>
        err instanceof CaSignError &&
        err.grpcCode === grpc.status.PERMISSION_DENIED &&
        err.caCode === 'CA_IDENTITY_MISMATCH',
    );
  });

  it('AuthorizationPolicy: only productpage may GET /ratings/*, on its verified identity', async () => {
    await kubectl(
      cp,
      ['apply'],
      `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ratings-viewer, namespace: default }
spec:
  selector: { matchLabels: { app: ratings } }
  action: ALLOW
  rules:
  - from: [{ source: { principals: ["cluster.local/ns/default/sa/productpage"] } }]
    to: [{ operation: { methods: ["GET"], paths: ["/ratings/*"] } }]
`,
    );
    await until('ratings applies the policy', async () => {
      const { config } = await adminJson<{ config: ProxyConfig | null }>(ratings.admin, '/config_dump');
      return config?.inbound.authorization.some((p) => p.name === 'default/ratings-viewer');
    });
    const ok = await rawHttp(pp.outbound, '/ratings/1', FQDN('ratings'));
    assert.equal(ok.status, 200, ok.body);
    const other = await rawHttp(reviews.outbound, '/ratings/1', FQDN('ratings'));
    assert.deepEqual(other, { status: 403, body: 'RBAC: access denied' });
    assert.equal((await rawHttp(pp.outbound, '/ratings/1', FQDN('ratings'), { method: 'POST' })).status, 403);
    assert.equal((await rawHttp(pp.outbound, '/details/1', FQDN('ratings'))).status, 403);
    assert.ok(!ratingsApp.seen.includes('/details/1'), 'a denied request never reaches the app');
  });

  it('AuthorizationPolicy on /public* judges the normalised path: dot segments and %2e cannot reach /private', async () => {
    await kubectl(
      cp,
      ['apply'],
      `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ratings-viewer, namespace: default }
spec:
  selector: { matchLabels: { app: ratings } }
  action: ALLOW
  rules:
  - to: [{ operation: { paths: ["/public*"] } }]
`,
    );
    await until('ratings applies the /public* policy', async () => {
      const { config } = await adminJson<{ config: ProxyConfig | null }>(ratings.admin, '/config_dump');
      const p = config?.inbound.authorization.find((a) => a.name === 'default/ratings-viewer');
      return p?.rules[0]?.to[0]?.paths?.values[0] === '/public*';
    });
    const ok = await rawHttp(pp.outbound, '/public/ok', FQDN('ratings'));
    assert.equal(ok.status, 200, ok.body);
    for (const path of [
      '/public/../private',
      '/public/./../private',
      '/public/%2e%2e/private',
      '/public/%2E/%2E%2E/private',
    ]) {
      const r = await rawHttp(pp.outbound, path, FQDN('ratings'));
      assert.deepEqual(r, { status: 403, body: 'RBAC: access denied' }, path);
    }
    assert.ok(!ratingsApp.seen.includes('/private'));
    // What is allowed reaches the app normalised, as Envoy's normalize_path forwards it.
    assert.equal((await rawHttp(pp.outbound, '/public/a/%2e/../b', FQDN('ratings'))).status, 200);
    assert.equal(ratingsApp.seen.at(-1), '/public/b');
    assert.equal((await rawHttp(pp.outbound, '/public/%00', FQDN('ratings'))).status, 400);
  });

  it('the root key file is 0600 and appears in no API response, config dump or log', async () => {
    const keyFile = join(cp.dataDir, 'ca', 'root-key.pem');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const fragments = rootKeyFragments(cp.dataDir);
    assert.ok(fragments.length > 5);

    const texts: [string, string][] = [];
    const grab = async (url: string) => {
      const text = await (await fetch(url)).text();
      texts.push([url, text]);
      return text;
    };
    for (const p of [
      '/healthz',
      '/readyz',
      '/version',
      '/api',
      '/api/v1',
      '/api/v1/namespaces',
      '/apis',
      '/openapi/v3',
      '/api/v1/mesh/proxies',
      '/api/v1/mesh/graph',
      '/api/v1/mesh/telemetry',
      '/api/v1/mesh/traces',
      '/api/v1/mesh/trace-services',
      '/api/v1/sd/prometheus',
      '/metrics',
    ])
      await grab(`${cp.url}${p}`);
    // Every served group/version and every resource list in it.
    const groups = JSON.parse(texts.find(([u]) => u.endsWith('/apis'))![1]) as {
      groups: { preferredVersion: { groupVersion: string } }[];
    };
    for (const g of groups.groups) {
      const gv = g.preferredVersion.groupVersion;
      const list = JSON.parse(await grab(`${cp.url}/apis/${gv}`)) as { resources: { name: string }[] };
      for (const r of list.resources) if (!r.name.includes('/')) await grab(`${cp.url}/apis/${gv}/${r.name}`);
    }
    texts.push(['kubectl', await kubectlRaw(cp, ['get', 'pa,ap', '-A', '-o', 'yaml'])]);
    for (const s of [pp, reviews, ratings]) {
      for (const p of ['/config_dump', '/certs', '/stats', '/clusters?format=json'])
        await grab(`http://127.0.0.1:${s.admin}${p}`);
      await grab(`http://127.0.0.1:${s.metrics}/metrics`);
    }
    texts.push(['controlplane log', cp.proc.output()]);
    for (const s of [pp, reviews, ratings]) texts.push([`${s.workload} log`, s.proc.output()]);

    assert.ok(texts.length >= 30, `${texts.length} texts scanned`);
    for (const [where, text] of texts)
      assert.deepEqual(leaks(text, fragments), [], `root key material in ${where}`);
    // Not vacuous: the scan finds the key where it is.
    assert.ok(leaks(readFileSync(keyFile, 'utf8'), fragments).length > 0);
  });
});
