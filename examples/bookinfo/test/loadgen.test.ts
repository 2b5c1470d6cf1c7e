import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isJasonTick, startLoad } from '../src/loadgen';
import { recorder, spawnService } from './support';

test('isJasonTick spreads the share evenly', () => {
  const hits = (n: number, p: number) =>
    Array.from({ length: n }, (_, i) => isJasonTick(i, p)).filter(Boolean).length;
  assert.equal(hits(100, 20), 20);
  assert.equal(hits(10, 20), 2);
  assert.equal(hits(50, 0), 0);
  assert.equal(hits(50, 100), 50);
});

test('a steady rate reaches productpage, with a share logged in as jason', async (t) => {
  const fakeReviews = await recorder(() => ({ status: 200, body: { id: '0', podname: 'r', reviews: [] } }));
  t.after(() => fakeReviews.close());
  const productpage = await spawnService('productpage', 'v1', {
    BOOKINFO_HOSTS: `reviews=${fakeReviews.address},details=${fakeReviews.address}`,
  });
  t.after(() => productpage.stop());

  const rate = 20;
  const started = performance.now();
  const gen = startLoad({ target: productpage.url, rate, jasonPercent: 25, jasonUsers: 2 });
  await sleep(2500);
  const stats = await gen.stop();
  const elapsedS = (performance.now() - started) / 1000;

  const expected = rate * elapsedS;
  const ratio = stats.sent / expected;
  assert.ok(
    ratio > 0.7 && ratio < 1.15,
    `sent ${stats.sent} in ${elapsedS.toFixed(2)} s at ${rate} rps (ratio ${ratio.toFixed(2)})`,
  );
  assert.equal(stats.dropped, 0);
  assert.equal(stats.failed, 0);
  assert.equal(stats.ok, stats.sent);
  assert.equal(stats.byStatus['200'], stats.sent);

  // Every page view asks reviews once (it answers), so the stand-in sees one call per request.
  const reviewCalls = fakeReviews.seen.filter((r) => r.url === '/reviews/0');
  assert.equal(reviewCalls.length, stats.sent);
  const asJason = reviewCalls.filter((r) => r.headers['end-user'] === 'jason').length;
  assert.equal(asJason, stats.jason);
  const share = asJason / reviewCalls.length;
  assert.ok(share > 0.15 && share < 0.35, `jason share ${share.toFixed(2)}`);
  const sessions = new Set(reviewCalls.filter((r) => r.headers['end-user']).map((r) => r.headers.cookie));
  assert.equal(sessions.size, 2, 'two separate jason sessions');
});

test('load stays bounded when the target stops answering', async (t) => {
  const hanging = createServer(() => {
    // Never answers: the loadgen must cap what it has open and drop the rest.
  });
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        hanging.close(() => r());
        hanging.closeAllConnections();
      }),
  );
  const { port } = hanging.address() as AddressInfo;

  const gen = startLoad({ target: `http://127.0.0.1:${port}`, rate: 40, maxInFlight: 3, timeoutMs: 800 });
  await sleep(500);
  const mid = gen.stats();
  assert.ok(mid.inFlight <= 3, `in flight ${mid.inFlight}`);
  assert.ok(mid.dropped > 0, `dropped ${mid.dropped}`);
  const final = await gen.stop();
  assert.equal(final.inFlight, 0);
  assert.equal(final.ok, 0);
  assert.equal(final.failed, final.sent, 'every sent request timed out');
  assert.equal(final.ticks, final.sent + final.dropped);
});

test('through a proxy, requests go in absolute form to the in-mesh name', async (t) => {
  const sidecar = await recorder(() => ({ status: 200, body: {} }));
  t.after(() => sidecar.close());
  const gen = startLoad({
    target: 'http://productpage:9080',
    proxy: `http://${sidecar.address}`,
    rate: 20,
    jasonPercent: 0,
  });
  await sleep(400);
  const stats = await gen.stop();
  assert.ok(stats.sent >= 2, `sent ${stats.sent}`);
  assert.equal(sidecar.seen.length, stats.sent);
  assert.ok(sidecar.seen.every((r) => r.url === 'http://productpage:9080/productpage'));
  assert.ok(sidecar.seen.every((r) => r.headers.host === 'productpage:9080'));
});

test('the CLI stops on SIGTERM long before --duration and exits 0 with its counts', async (t) => {
  const target = await recorder(() => ({ status: 200, body: {} }));
  t.after(() => target.close());
  const cli = fileURLToPath(new URL('../src/loadgen.ts', import.meta.url));
  const args = [
    '--target',
    `http://${target.address}`,
    '--rate',
    '10',
    '--jason-percent',
    '0',
    '--duration',
    '120',
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  // Bounded wait for the first request, then stop it; a leftover timer would keep it alive 120 s.
  for (let i = 0; i < 300 && target.seen.length === 0; i++) await sleep(100);
  assert.ok(target.seen.length > 0, 'the CLI started sending');
  child.kill('SIGTERM');
  const code = await Promise.race([
    once(child, 'exit').then(([c]) => c),
    sleep(20_000).then(() => 'still running'),
  ]);
  assert.equal(code, 0, out);
  const sent = Number(/sent (\d+)/.exec(out)?.[1]);
  assert.equal(target.seen.length, sent, out);
});

test('bad options are refused', () => {
  assert.throws(() => startLoad({ target: 'http://127.0.0.1:1', rate: 0 }), RangeError);
  assert.throws(() => startLoad({ target: 'http://127.0.0.1:1', jasonPercent: 120 }), RangeError);
});
