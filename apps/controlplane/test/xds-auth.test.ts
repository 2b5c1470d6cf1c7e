/**
 * Who may open ConfigDiscovery. With a CA (the default `trellis controlplane`), a plaintext stream
 * must carry the join token as "authorization: Bearer <token>", or it is refused with
 * UNAUTHENTICATED before any config; a TLS stream needs no token and stays bound to its client
 * certificate. Without a CA, plaintext is taken as claimed. In process, real gRPC over real sockets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { GrpcCsrSigner, readJoinTokenFile } from '@trellis/proxy/tls/ca-client';
import { CertificateManager } from '@trellis/proxy/tls/certificate-manager';
import { controlPlaneCredentials } from '@trellis/proxy/tls/grpc-credentials';
import { XdsClient, type XdsNode } from '@trellis/proxy/xds-client/index';
import { caService } from '../src/ca/component';
import { type Logger, startControlPlane } from '../src/server';
import { type ConfigPushComponent, configPushComponent } from '../src/xds/component';
import { node, type TestContext, waitFor } from './xds-harness';

// Generous: the machine is shared; each wait ends as soon as its condition holds.
const SLOW = 15_000;

interface Mesh {
  push: ConfigPushComponent;
  target: string;
  dir: string;
  /** Every log line of the control plane (its own and the config push's). */
  lines: string[];
}

async function controlPlane(t: TestContext, withCa: boolean): Promise<Mesh> {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-xds-auth-'));
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const ca = caService();
  const push = configPushComponent({
    grpcServices: withCa ? [(ctx) => ca.provider(ctx)] : [],
    logger: (level, message, fields) => lines.push(JSON.stringify({ level, message, ...fields })),
    registryGraceMs: 200,
  });
  const cp = await startControlPlane({ dataDir: dir, port: 0, grpcPort: 0, components: [push], log });
  t.after(async () => {
    await cp.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { push, target: `127.0.0.1:${push.grpcPort}`, dir, lines };
}

interface Client {
  client: XdsClient;
  configs: unknown[];
}

function client(
  t: TestContext,
  mesh: Mesh,
  n: XdsNode,
  o: { token?: string; credentials?: grpc.ChannelCredentials } = {},
): Client {
  const configs: unknown[] = [];
  const c = new XdsClient({
    target: mesh.target,
    node: n,
    backoff: { initialMs: 50, maxMs: 200 },
    ...(o.token !== undefined ? { token: () => o.token } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
    onConfig: (json) => {
      configs.push(json);
      return { ok: true };
    },
  });
  c.start();
  t.after(() => c.close());
  return { client: c, configs };
}

/** Waits until the client has been refused at least `times` times; returns its last error. */
async function refused(c: Client, times = 2): Promise<{ code: grpc.status | null; error: string }> {
  await waitFor(
    `${times} refusals`,
    () => {
      const s = c.client.state();
      return s.lastStreamCode !== null && s.reconnects >= times - 1;
    },
    SLOW,
  );
  const s = c.client.state();
  return { code: s.lastStreamCode, error: s.lastStreamError ?? '' };
}

function listed(mesh: Mesh, id: string): boolean {
  return mesh.push.push!.proxies().some((p) => p.id === id);
}

test('with a CA, a plaintext stream needs the join token: none or a wrong one is refused with UNAUTHENTICATED and no config, the right one gets config', async (t) => {
  const mesh = await controlPlane(t, true);
  const token = readJoinTokenFile(join(mesh.dir, 'join-token'));

  const anonymous = client(t, mesh, node('ratings-v1.default'));
  const none = await refused(anonymous);
  assert.equal(none.code, grpc.status.UNAUTHENTICATED);
  assert.match(none.error, /^XDS_UNAUTHENTICATED: .*no bearer token.*--join-token-file/);
  assert.equal(anonymous.client.state().connection === 'CONNECTED', false);

  const wrong = client(t, mesh, node('details-v1.default'), { token: `${token.slice(0, -2)}xx` });
  const bad = await refused(wrong);
  assert.equal(bad.code, grpc.status.UNAUTHENTICATED);
  assert.match(bad.error, /^XDS_UNAUTHENTICATED: .*join token is not this control plane/);

  const right = client(t, mesh, node('reviews-v1.default'), { token });
  await waitFor('the config', () => right.configs.length > 0, SLOW);
  await waitFor(
    'reviews SYNCED',
    () => mesh.push.push!.proxies().some((p) => p.id === 'reviews-v1.default' && p.state === 'SYNCED'),
    SLOW,
  );

  // Still refused while the others are served: no config ever reached them, nobody lists them.
  await refused(anonymous, anonymous.client.state().reconnects + 2);
  assert.equal(anonymous.configs.length, 0);
  assert.equal(wrong.configs.length, 0);
  assert.equal(anonymous.client.state().version, '');
  assert.equal(listed(mesh, 'ratings-v1.default'), false);
  assert.equal(listed(mesh, 'details-v1.default'), false);
  const endpoints = right.configs.at(-1) as { outbound: { virtualHosts: { name: string }[] } };
  assert.ok(
    endpoints.outbound.virtualHosts.every((v) => !/^(ratings|details)\./.test(v.name)),
    'a refused stream puts nothing in the registry',
  );

  // Counted and logged with the claimed identity, never the token.
  const rejected = mesh.push.push!.metrics.totals.rejectedStreams.XDS_UNAUTHENTICATED ?? 0;
  assert.ok(rejected >= 4, `rejected streams counted: ${rejected}`);
  const refusals = mesh.lines.filter(
    (l) => l.includes('rejected stream') && l.includes('XDS_UNAUTHENTICATED'),
  );
  assert.ok(
    refusals.some((l) => l.includes('"serviceAccount":"ratings"')),
    refusals.join('\n'),
  );
  const all = mesh.lines.join('\n');
  assert.ok(!all.includes(token), 'the join token is never logged');
  assert.ok(!all.includes(token.slice(0, -2)), 'nor the wrong one');
});

test('a TLS stream needs no token and stays bound to its certificate (a token does not widen it)', async (t) => {
  const mesh = await controlPlane(t, true);
  const token = readJoinTokenFile(join(mesh.dir, 'join-token'));
  const manager = new CertificateManager({
    signer: new GrpcCsrSigner({ address: mesh.target, token: () => token }),
    namespace: 'default',
    serviceAccount: 'reviews',
  });
  t.after(() => manager.stop());
  const bundle = await manager.start();

  const own = client(t, mesh, node('reviews-v1.default'), { credentials: controlPlaneCredentials(bundle) });
  await waitFor('config over TLS', () => own.configs.length > 0, SLOW);
  assert.ok(listed(mesh, 'reviews-v1.default'));

  // The reviews certificate claiming ratings, even with the join token on the stream: refused.
  const impostor = client(t, mesh, node('ratings-v1.default'), {
    credentials: controlPlaneCredentials(bundle),
    token,
  });
  const r = await refused(impostor);
  assert.equal(r.code, grpc.status.PERMISSION_DENIED);
  assert.match(r.error, /certificate is for spiffe:\/\/cluster\.local\/ns\/default\/sa\/reviews/);
  assert.equal(impostor.configs.length, 0);
  assert.equal(listed(mesh, 'ratings-v1.default'), false);
});

test('without a CA (the push service alone) plaintext streams are served as claimed', async (t) => {
  const mesh = await controlPlane(t, false);
  const anonymous = client(t, mesh, node('ratings-v1.default'));
  await waitFor('config without a token', () => anonymous.configs.length > 0, SLOW);
  assert.ok(listed(mesh, 'ratings-v1.default'));
  assert.throws(() => readFileSync(join(mesh.dir, 'join-token')), /ENOENT/);
});
