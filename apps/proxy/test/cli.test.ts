/**
 * `trellis proxy` as a real process: flags and exit codes, a static config file, readiness,
 * traffic, and a clean drain on SIGTERM (the request in flight completes, exit code 0).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { reservePorts } from '@trellis/testkit';
import { cluster, endpoint, forward, get, proxyConfig, sleep, startApp, vhost } from './harness';

const bin = new URL('../../cli/bin/trellis.mjs', import.meta.url).pathname;

function run(args: string[]) {
  return spawnSync(process.execPath, [bin, 'proxy', ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('trellis proxy --help lists every contract flag; bad usage exits 2', () => {
  const help = run(['--help']);
  assert.equal(help.status, 0);
  for (const f of [
    '--control-plane',
    '--workload',
    '--namespace',
    '--service-account',
    '--labels',
    '--service',
    '--app-port',
    '--inbound-port',
    '--outbound-port',
    '--admin-port',
    '--metrics-port',
    '--join-token-file',
  ])
    assert.ok(help.stdout.includes(f), f);
  const missing = run(['--control-plane', '127.0.0.1:1', '--workload', 'x']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--namespace is required/);
  assert.equal(run(['--bogus']).status, 2);
  const badPort = run([
    '--control-plane',
    '127.0.0.1:1',
    '--workload',
    'w',
    '--namespace',
    'n',
    '--service-account',
    's',
    '--app-port',
    'x',
    '--inbound-port',
    '1',
    '--outbound-port',
    '2',
    '--admin-port',
    '3',
    '--metrics-port',
    '4',
  ]);
  assert.equal(badPort.status, 2);
  assert.match(badPort.stderr, /--app-port must be a port/);
});

test('a proxy process serves a static config, and drains a request in flight on SIGTERM', async (t) => {
  const app = await startApp('reviews', 'v1', (req, res) => {
    const wait = req.url === '/slow' ? 600 : 0;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`ok ${req.url}`);
    }, wait);
  });
  t.after(() => app.close());
  const dir = mkdtempSync(join(tmpdir(), 'trellis-proxy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const c = cluster('reviews', 9080, [endpoint(app.port)]);
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify(proxyConfig('static-1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c])),
  );
  const [inb, out, adm, met, cp] = await reservePorts(5);
  const child = spawn(
    process.execPath,
    [
      bin,
      'proxy',
      '--control-plane',
      `127.0.0.1:${cp}`,
      '--workload',
      'productpage-v1',
      '--namespace',
      'default',
      '--service-account',
      'bookinfo-productpage',
      '--labels',
      'app=productpage,version=v1',
      '--service',
      'productpage:9080',
      '--app-port',
      String(app.port),
      '--inbound-port',
      String(inb),
      '--outbound-port',
      String(out),
      '--admin-port',
      String(adm),
      '--metrics-port',
      String(met),
      '--config-file',
      file,
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  // Bounded by time, generous: a cold tsx start on a busy 2-core machine can take a while.
  let ready = false;
  const until = Date.now() + 60_000;
  while (!ready && Date.now() < until && child.exitCode === null) {
    try {
      ready = (await fetch(`http://127.0.0.1:${adm}/ready`)).status === 200;
    } catch {
      // not listening yet
    }
    if (!ready) await sleep(50);
  }
  assert.ok(ready, `proxy became ready: ${stderr}`);
  const proxy = `http://127.0.0.1:${out}`;
  assert.equal((await get(proxy, 'reviews:9080', '/a')).body, 'ok /a');
  const metrics = await fetch(`http://127.0.0.1:${met}/metrics`);
  assert.equal(metrics.status, 200);
  const page = await metrics.text();
  assert.match(page, /^istio_requests_total\{/m);
  // The sidecar's own health: memory, event-loop lag and GC, as an operator scrapes them.
  for (const family of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds'])
    assert.match(page, new RegExp(`^${family} \\d`, 'm'), family);
  assert.match(page, /^# TYPE nodejs_gc_duration_seconds histogram$/m);

  const slow = get(proxy, 'reviews:9080', '/slow');
  await sleep(150);
  child.kill('SIGTERM');
  const r = await slow;
  assert.equal(r.status, 200);
  assert.equal(r.body, 'ok /slow');
  assert.equal(await exited, 0, stderr);
});
