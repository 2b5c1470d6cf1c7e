/**
 * Real `trellis controlplane` and `trellis proxy` processes: a sidecar started without
 * --join-token-file is refused ConfigDiscovery (the control plane has a CA, so plaintext needs the
 * join token). It says why, keeps retrying without crashing, never becomes ready and is not
 * listed as a proxy; a sidecar with the token gets its config beside it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  proxyFlags,
  reservePorts,
  spawnTrellis,
  startControlPlane,
  startUpstream,
  TRELLIS,
  tempDir,
  until,
} from './e2e-harness';

const exec = promisify(execFile);
const CAUSE = 'the control plane requires the join token: pass --join-token-file';
const refusals = (output: string) => output.split(CAUSE).length - 1;

async function readyStatus(admin: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${admin}/ready`)).status;
  } catch {
    return 0;
  }
}

test('a sidecar without the join token is refused ConfigDiscovery, says why and never becomes ready; one with it does', async (t) => {
  const cp = await startControlPlane(t, tempDir(t, 'trellis-e2e-xds-auth-'));
  const appPort = await startUpstream(t, 'v1');

  const [inbound = 0, outbound = 0, admin = 0, metrics = 0] = await reservePorts(4);
  const anonymous = spawnTrellis(t, 'ratings-v1', [
    'proxy',
    ...proxyFlags({
      grpc: cp.grpc,
      workload: 'ratings-v1',
      app: 'ratings',
      version: 'v1',
      service: 'ratings:9080',
      appPort,
      ports: { inbound, outbound, admin, metrics },
    }),
  ]);
  await until('the refusal in the sidecar log', () => refusals(anonymous.output()) > 0, 60_000, 100, [
    anonymous,
  ]);

  const [inb2 = 0, out2 = 0, admin2 = 0, met2 = 0] = await reservePorts(4);
  const member = spawnTrellis(t, 'reviews-v1', [
    'proxy',
    ...proxyFlags({
      grpc: cp.grpc,
      workload: 'reviews-v1',
      app: 'reviews',
      version: 'v1',
      service: 'reviews:9080',
      appPort,
      ports: { inbound: inb2, outbound: out2, admin: admin2, metrics: met2 },
      joinTokenFile: join(cp.dataDir, 'join-token'),
    }),
  ]);
  await until(
    'the sidecar with the token to be ready',
    async () => (await readyStatus(admin2)) === 200,
    90_000,
    200,
    [member],
  );
  type Row = { id: string; state: string };
  const rows = await until(
    'reviews-v1 SYNCED',
    async () => {
      const r = (await (await fetch(`${cp.url}/api/v1/mesh/proxies`)).json()) as Row[];
      return r.some((p) => p.id === 'reviews-v1.default' && p.state === 'SYNCED') && r;
    },
    30_000,
  );
  assert.deepEqual(
    rows.map((r) => r.id),
    ['reviews-v1.default'],
    'the refused sidecar is not listed',
  );

  // Meanwhile, and for a few more retries, the sidecar without the token stays unready and alive.
  const refusalsBefore = refusals(anonymous.output());
  for (let i = 0; i < 10; i++) {
    assert.notEqual(await readyStatus(admin), 200, 'the sidecar without the token is not ready');
    await sleep(300);
  }
  anonymous.assertRunning();
  assert.ok(refusals(anonymous.output()) > refusalsBefore, 'it keeps retrying (and saying why)');
  assert.notEqual(await readyStatus(admin), 200);
  const { stdout } = await exec(process.execPath, [TRELLIS, 'status', '--server', cp.url]);
  assert.match(stdout, /^reviews-v1\.default\s+default\s+SYNCED/m);
  assert.doesNotMatch(stdout, /ratings/);

  // The control plane logs the refusal with the claimed identity, never the token.
  const cpLog = cp.proc.output();
  assert.match(
    cpLog,
    /"message":"rejected stream".*"serviceAccount":"ratings".*"reason":"XDS_UNAUTHENTICATED"/,
  );
  const token = readFileSync(join(cp.dataDir, 'join-token'), 'utf8').trim();
  assert.ok(
    !cpLog.includes(token) && !anonymous.output().includes(token) && !member.output().includes(token),
  );
});
