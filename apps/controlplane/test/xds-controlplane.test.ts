import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { silentLogger, startControlPlane } from '../src/server';
import { configPushComponent, silentXdsLogger } from '../src/xds';
import { node, startClient, type TestContext, waitFor } from './xds-harness';

const run = promisify(execFile);
const TRELLIS = new URL('../../cli/bin/trellis.mjs', import.meta.url).pathname;

async function controlPlane(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-xds-cp-'));
  const push = configPushComponent({ logger: silentXdsLogger, registryGraceMs: 200 });
  const cp = await startControlPlane({
    dataDir: dir,
    port: 0,
    grpcPort: 0,
    components: [push],
    log: silentLogger,
  });
  t.after(async () => {
    await cp.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { cp, target: `127.0.0.1:${push.grpcPort}` };
}

const VS = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: {
    hosts: ['reviews'],
    http: [
      {
        fault: { abort: { httpStatus: 418, percentage: { value: 100 } } },
        route: [{ destination: { host: 'reviews' } }],
      },
    ],
  },
};

describe('config push inside the control plane', () => {
  it('pushes stored resources to proxies and reports their sync state over HTTP and `trellis status`', async (t) => {
    const { cp, target } = await controlPlane(t);
    const pp = startClient(t, target, node('productpage-v1.default'));
    startClient(t, target, node('reviews-v1.default', { inboundAddress: '127.0.0.1:16001' }));
    await waitFor('reviews in productpage config', () =>
      pp.received
        .at(-1)
        ?.outbound.virtualHosts.some((v) => v.name === 'reviews.default.svc.cluster.local:9080'),
    );

    const created = await cp.store.create(VS, { actor: 'test' });
    assert.ok(created.ok);
    await waitFor('the fault reaches the proxy', () => {
      const route = pp.received
        .at(-1)
        ?.outbound.virtualHosts.find((v) => v.name === 'reviews.default.svc.cluster.local:9080')?.routes[0];
      return route?.action.type === 'forward' && route.action.fault?.abort?.httpStatus === 418;
    });

    type Row = { id: string; state: string; version: string; namespace: string };
    let rows: Row[] = [];
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const res = await fetch(`${cp.url}/api/v1/mesh/proxies`);
      assert.equal(res.status, 200);
      rows = (await res.json()) as Row[];
      if (rows.length === 2 && rows.every((r) => r.state === 'SYNCED')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(
      rows.map((r) => [r.id, r.state]),
      [
        ['productpage-v1.default', 'SYNCED'],
        ['reviews-v1.default', 'SYNCED'],
      ],
    );

    const { stdout } = await run(process.execPath, [TRELLIS, 'status', '--server', cp.url]);
    const lines = stdout.trim().split('\n');
    assert.match(lines[0]!, /^NAME\s+NAMESPACE\s+STATE\s+VERSION\s+LAST ACK$/);
    assert.match(lines[1]!, /^productpage-v1\.default\s+default\s+SYNCED\s+\d+\s+\d+s ago$/);
    assert.equal(lines.length, 3);
  });

  it('lists a proxy that went away as DISCONNECTED', async (t) => {
    const { cp, target } = await controlPlane(t);
    const pp = startClient(t, target, node('productpage-v1.default'));
    await waitFor('connected', () => pp.client.state().connection === 'CONNECTED');
    pp.client.close();
    let state = '';
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && state !== 'DISCONNECTED') {
      const rows = (await (await fetch(`${cp.url}/api/v1/mesh/proxies`)).json()) as { state: string }[];
      state = rows[0]?.state ?? '';
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(state, 'DISCONNECTED');
  });
});
