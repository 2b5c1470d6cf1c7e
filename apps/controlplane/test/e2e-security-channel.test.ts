/**
 * The proxy's channel to the control plane: the bootstrap Sign is the only plaintext connection;
 * ConfigDiscovery and every renewal run over TLS on the same --grpc-port, and config keeps
 * flowing across rotations. In process (control plane and sidecar objects), real sockets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@trellis/proxy';
import { startProxy } from '@trellis/proxy/main';
import { controlPlaneCredentials } from '@trellis/proxy/tls/grpc-credentials';
import { XdsClient } from '@trellis/proxy/xds-client/client';
import { caService } from '../src/ca/component';
import { type Logger as CpLogger, startControlPlane } from '../src/server';
import { configPushComponent } from '../src/xds/component';

test('Sign bootstraps over plaintext; ConfigDiscovery and renewals use TLS with the mesh certificate', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-channel-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const kinds: string[] = [];
  const quiet: CpLogger = { info: () => {}, warn: () => {}, error: () => {} };
  const ca = caService({ lifetime: { defaultSeconds: 4, maxSeconds: 3600 } });
  const push = configPushComponent({
    grpcServices: [(ctx) => ca.provider(ctx)],
    logger: () => {},
    onGrpcConnection: (k) => kinds.push(k),
  });
  const cp = await startControlPlane({ dataDir: dir, port: 0, grpcPort: 0, components: [push], log: quiet });
  t.after(() => cp.stop());

  const proxy = await startProxy({
    workload: 'reviews-v1',
    namespace: 'default',
    serviceAccount: 'reviews',
    labels: { app: 'reviews', version: 'v1' },
    services: [{ name: 'reviews', port: 9080 }],
    appPort: 1,
    inboundPort: 0,
    outboundPort: 0,
    adminPort: 0,
    metricsPort: 0,
    controlPlane: `127.0.0.1:${push.grpcPort}`,
    joinTokenFile: join(dir, 'join-token'),
    telemetry: false,
    logger: new Logger('error'),
  });
  t.after(() => proxy.close(10));
  const deadline = Date.now() + 20_000;
  while (!proxy.store.ready && Date.now() < deadline) await sleep(50);
  assert.ok(proxy.store.ready, 'the proxy got its config');
  assert.equal(kinds[0], 'plaintext', 'the bootstrap Sign');
  assert.equal(kinds[1], 'tls', 'ConfigDiscovery');

  // 4 s certificates renew about every 2 s, over one kept TLS channel (not a handshake each).
  const serials = new Set<string>();
  while (serials.size < 3 && Date.now() < deadline + 10_000) {
    serials.add(proxy.tls!.certsView().certificate!.serialNumber);
    await sleep(100);
  }
  assert.ok(serials.size >= 3, `rotations seen: ${serials.size}`);
  assert.deepEqual(
    kinds.filter((k) => k === 'plaintext'),
    ['plaintext'],
    `only the first connection is plaintext: ${kinds.join(',')}`,
  );
  // Bootstrap, ConfigDiscovery, and the renewals' channel (a reconnect may add one later).
  assert.deepEqual(kinds.slice(0, 3), ['plaintext', 'tls', 'tls'], `connections: ${kinds.join(',')}`);
  assert.ok(kinds.length - 2 < serials.size - 1, `renewals share a channel: ${kinds.join(',')}`);
  assert.equal(proxy.xds?.state().connection, 'CONNECTED');

  // The same certificate (reviews) on a stream that claims another workload's identity: refused.
  const bundle = proxy.tls!.manager.current();
  const errors: string[] = [];
  const impostor = new XdsClient({
    target: `127.0.0.1:${push.grpcPort}`,
    node: {
      id: 'ratings-v1.default',
      workload: 'ratings-v1',
      namespace: 'default',
      serviceAccount: 'ratings',
      labels: { app: 'ratings', version: 'v1' },
      services: [{ name: 'ratings', port: 9080 }],
      inboundAddress: '127.0.0.1:1',
    },
    onConfig: () => ({ ok: true }),
    credentials: controlPlaneCredentials(bundle),
    onStateChange: (st) => {
      if (st.lastStreamError && !errors.includes(st.lastStreamError)) errors.push(st.lastStreamError);
    },
  });
  t.after(() => impostor.close());
  impostor.start();
  while (errors.length === 0 && Date.now() < deadline + 20_000) await sleep(50);
  assert.match(errors[0] ?? '', /certificate is for spiffe:\/\/cluster.local\/ns\/default\/sa\/reviews/);
  assert.equal(impostor.state().version, '', 'the impostor got no config');
  assert.ok(
    push.push!.proxies().every((p) => p.workload !== 'ratings-v1'),
    'the impostor is not listed as a proxy',
  );
});
