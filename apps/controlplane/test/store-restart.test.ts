/**
 * `trellis controlplane` as a user runs it: --help, health endpoints, the kubeconfig it writes,
 * clean shutdown on SIGTERM and SIGINT, and a restart that keeps every object and the full history.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { SqliteResourceStore } from '../src/store/sqlite-store';
import { assertOk, BOOKINFO, kubectlFor, ROOT, startCli, TRELLIS, tempDir } from './kubectl-support';

function trellis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TRELLIS, ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

test('trellis controlplane --help describes the flags; bad flags exit 2', async () => {
  const help = await trellis('controlplane', '--help');
  assert.equal(help.code, 0);
  for (const flag of ['--data-dir', '--port', '--grpc-port', '--host'])
    assert.match(help.stdout, new RegExp(flag));
  const bad = await trellis('controlplane', '--port', 'seventy');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port must be a port/);
});

test('a restarted control plane keeps every object and the full history', async (t) => {
  const dataDir = tempDir(t);
  const first = await startCli(t, dataDir);

  for (const path of ['/healthz', '/readyz']) {
    const res = await fetch(`${first.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.equal(await res.text(), 'ok');
  }

  // The kubeconfig it writes is enough for kubectl (no --server).
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  const kubeconfig = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as {
    clusters: { cluster: { server: string } }[];
    contexts: { context: { namespace: string } }[];
  };
  assert.equal(kubeconfig.clusters[0]?.cluster.server, first.url);
  assert.equal(kubeconfig.contexts[0]?.context.namespace, 'default');
  const kubectl = kubectlFor(t, first.url);
  const viaConfig = kubectlFor(t, first.url, { KUBECONFIG: kubeconfigPath });

  assertOk(await kubectl('apply', '-f', join(BOOKINFO, 'destination-rule-all.yaml')), 'apply dr');
  assertOk(
    await kubectl('--as', 'alice', 'apply', '-f', join(BOOKINFO, 'virtual-service-all-v1.yaml')),
    'apply vs',
  );
  assertOk(
    await kubectl('--as', 'bob', 'apply', '-f', join(BOOKINFO, 'virtual-service-reviews-80-20.yaml')),
    'apply 80/20',
  );
  assertOk(await kubectl('delete', 'dr', 'ratings'), 'delete dr');
  const r = await viaConfig('get', 'vs,dr', '-o', 'json');
  assertOk(r, 'kubectl with the written kubeconfig');
  const before = JSON.parse(r.stdout) as { items: unknown[] };
  assert.equal(before.items.length, 7);

  assert.equal(await first.stop('SIGTERM'), 0, `clean exit on SIGTERM:\n${first.stderr()}`);

  const second = await startCli(t, dataDir);
  const again = kubectlFor(t, second.url);
  const after = JSON.parse((await again('get', 'vs,dr', '-o', 'json')).stdout) as { items: unknown[] };
  assert.deepEqual(after.items, before.items, 'same objects, same versions, same uids');

  // New writes continue the version sequence instead of reusing numbers.
  assertOk(
    await again('apply', '-f', join(BOOKINFO, 'destination-rule-reviews.yaml')),
    'write after restart',
  );
  assert.equal(await second.stop('SIGINT'), 0, `clean exit on SIGINT:\n${second.stderr()}`);

  const store = SqliteResourceStore.open({ dataDir });
  t.after(() => store.close());
  const history = await store.listHistory({});
  // 4 DR creates, 4 VS creates, 1 VS patch, 1 DR delete, then 1 DR re-create after the restart.
  assert.deepEqual(
    history.map((h) => [h.verb, h.ref.kind, h.ref.name, h.actor]),
    [
      ['create', 'DestinationRule', 'productpage', 'anonymous'],
      ['create', 'DestinationRule', 'reviews', 'anonymous'],
      ['create', 'DestinationRule', 'ratings', 'anonymous'],
      ['create', 'DestinationRule', 'details', 'anonymous'],
      ['create', 'VirtualService', 'productpage', 'alice'],
      ['create', 'VirtualService', 'reviews', 'alice'],
      ['create', 'VirtualService', 'ratings', 'alice'],
      ['create', 'VirtualService', 'details', 'alice'],
      ['patch', 'VirtualService', 'reviews', 'bob'],
      ['delete', 'DestinationRule', 'ratings', 'anonymous'],
      ['patch', 'DestinationRule', 'reviews', 'anonymous'],
    ],
  );
  assert.deepEqual(
    history.map((h) => Number(h.resourceVersion)),
    history.map((_, i) => i + 1),
    'one version per change, no gaps, across the restart',
  );
  const patch = history[8];
  assert.ok(patch?.before && patch.after, 'a patch records before and after');
  assert.equal((patch.before.spec as { http: unknown[] }).http.length, 1);
  assert.deepEqual(
    (patch.after.spec as { http: { route: { weight: number }[] }[] }).http[0]?.route.map((d) => d.weight),
    [80, 20],
  );
  assert.equal(history[9]?.after, null);
  assert.equal(history[9]?.before?.metadata.name, 'ratings');
});
