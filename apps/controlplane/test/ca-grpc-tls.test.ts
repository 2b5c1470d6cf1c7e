import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { CaSignError, GrpcCsrSigner } from '@trellis/proxy/tls/ca-client';
import { CertificateManager } from '@trellis/proxy/tls/certificate-manager';
import { controlPlaneCredentials } from '@trellis/proxy/tls/grpc-credentials';
import { type ChannelKind, listenBootstrapAndTls } from '../src/ca/grpc-listener';
import { addCertificatesService, CertificateAuthority, silentLogger } from '../src/ca/index';
import { issueServingIdentity } from '../src/ca/serving';

test('the gRPC channel is plaintext for the bootstrap Sign and TLS once the proxy has a certificate', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-grpc-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ca = await CertificateAuthority.open({ dataDir: dir, log: silentLogger });
  const token = readFileSync(join(dir, 'join-token'), 'utf8').trim();
  const server = new grpc.Server();
  addCertificatesService(server, ca);
  const serving = await issueServingIdentity(ca);
  assert.equal(serving.spiffeId, 'spiffe://cluster.local/ns/trellis-system/sa/trellis-controlplane');
  const kinds: ChannelKind[] = [];
  const listener = await listenBootstrapAndTls(server, {
    host: '127.0.0.1',
    port: 0,
    tls: serving.credentials,
    onConnection: (k) => kinds.push(k),
  });
  t.after(async () => {
    await listener.close();
    server.forceShutdown();
  });
  const address = `127.0.0.1:${listener.port}`;

  const manager: CertificateManager = new CertificateManager({
    signer: new GrpcCsrSigner({
      address,
      token: () => token,
      credentials: () => controlPlaneCredentials(manager.current()),
    }),
    namespace: 'default',
    serviceAccount: 'reviews',
    lifetimeSeconds: 600,
  });
  t.after(() => manager.stop());
  const first = await manager.start();
  assert.deepEqual(kinds, ['plaintext']);

  await manager.renewNow();
  assert.notEqual(manager.current()?.serial, first.serial);
  assert.deepEqual(kinds, ['plaintext', 'tls']);

  // A proxy that expects someone else on that port does not talk to it.
  const wrong = new GrpcCsrSigner({
    address,
    token: () => token,
    credentials: () => controlPlaneCredentials(manager.current(), 'spiffe://cluster.local/ns/evil/sa/mitm'),
    timeoutMs: 3000,
  });
  await assert.rejects(
    wrong.sign({ csrPem: 'x', validitySeconds: 0, namespace: 'default', serviceAccount: 'reviews' }),
    (err: unknown) =>
      err instanceof CaSignError &&
      err.grpcCode === grpc.status.UNAVAILABLE &&
      /presented spiffe:\/\/cluster.local\/ns\/trellis-system\/sa\/trellis-controlplane/.test(err.message),
  );
});
