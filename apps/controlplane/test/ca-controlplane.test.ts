import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GrpcCsrSigner, readJoinTokenFile } from '@trellis/proxy/tls/ca-client';
import { CertificateManager } from '@trellis/proxy/tls/certificate-manager';
import { caService } from '../src/ca/component';
import { type Logger, startControlPlane } from '../src/server';
import { configPushComponent } from '../src/xds/component';

test('the control plane serves Certificates.Sign on --grpc-port and keeps its secrets 0600 and out of its log', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-cp-ca-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const ca = caService();
  const push = configPushComponent({ grpcServices: [(ctx) => ca.provider(ctx)], logger: () => {} });
  const cp = await startControlPlane({ dataDir: dir, port: 0, grpcPort: 0, components: [push], log });
  t.after(() => cp.stop());

  const tokenFile = join(dir, 'join-token');
  const keyFile = join(dir, 'ca', 'root-key.pem');
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);

  const manager = new CertificateManager({
    signer: new GrpcCsrSigner({
      address: `127.0.0.1:${push.grpcPort}`,
      token: () => readJoinTokenFile(tokenFile),
    }),
    namespace: 'default',
    serviceAccount: 'bookinfo-reviews',
  });
  t.after(() => manager.stop());
  const bundle = await manager.start();
  assert.equal(bundle.self.spiffeId, 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews');
  assert.equal(bundle.rootPem, readFileSync(join(dir, 'ca', 'root-cert.pem'), 'utf8'));
  // The CA default: 24 h.
  const hours = (bundle.notAfter.getTime() - Date.now()) / 3_600_000;
  assert.ok(hours > 23.9 && hours < 24 + 1 / 3600, `lifetime ${hours} h`);

  const body = readFileSync(keyFile, 'utf8')
    .replace(/-----[^-]+-----/g, '')
    .replace(/\s+/g, '');
  const logged = lines.join('\n').replace(/\s+/g, '');
  assert.ok(
    lines.some((l) => l.includes('issued a workload certificate')),
    'the CA logs through the control plane',
  );
  for (let i = 0; i + 24 <= body.length; i += 8) assert.ok(!logged.includes(body.slice(i, i + 24)));
  assert.ok(!logged.includes(readJoinTokenFile(tokenFile)));
});
