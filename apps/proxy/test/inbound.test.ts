/**
 * The inbound side and the proxy's robustness: peers reach the app through inbound, the source
 * identity header is consumed there and never reaches the app, malformed HTTP gets 400 and a
 * closed connection while everyone else keeps being served, and a dead app is 503 UF.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import {
  cluster,
  endpoint,
  forward,
  get,
  proxyConfig,
  sleep,
  startApp,
  startSidecar,
  vhost,
} from './harness';

test('outbound → inbound → app: the app sees the request, not the identity header; both sides record it', async (t) => {
  const app = await startApp('reviews', 'v2');
  t.after(() => app.close());
  const dest = await startSidecar({
    workload: 'reviews-v2',
    appPort: app.port,
    labels: { app: 'reviews', version: 'v2' },
    services: [{ name: 'reviews', port: 9080 }],
    config: proxyConfig('1', [], [], app.port),
  });
  t.after(() => dest.close(100));
  const c = cluster('reviews', 9080, [endpoint(Number(dest.inboundAddress.split(':')[1]), 'v2', 'reviews')]);
  const src = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig('1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c]),
  });
  t.after(() => src.close(100));

  const r = await get(src.outbound, 'reviews:9080', '/reviews/1', { 'x-trellis-source': 'spoofed,x,y,z' });
  assert.equal(r.status, 200);
  assert.equal(app.last?.['x-trellis-source'], undefined, 'stripped before the app');
  assert.equal(app.last?.host, 'reviews:9080');
  await sleep(20);
  const d = dest.records.at(-1)!;
  assert.equal(d.reporter, 'destination');
  assert.equal(d.source.workload, 'productpage-v1', 'the app could not spoof its identity');
  assert.equal(d.source.app, 'productpage');
  assert.equal(d.destination.workload, 'reviews-v2');
  assert.equal(d.destination.service, 'reviews.default.svc.cluster.local');
  const s = src.records.at(-1)!;
  assert.equal(s.reporter, 'source');
  assert.equal(s.destination.workload, 'reviews-v2');
  assert.equal(s.destination.version, 'v2');
  assert.equal(s.responseCode, 200);

  // The app goes away: inbound answers 503 UF, and recovers when it is back.
  await app.close();
  const down = await get(src.outbound, 'reviews:9080', '/');
  assert.equal(down.status, 503);
  assert.match(down.body, /upstream connect error/);
});

test('malformed HTTP gets 400 and a close; the proxy keeps serving other clients', async (t) => {
  const app = await startApp('reviews', 'v1');
  t.after(() => app.close());
  const c = cluster('reviews', 9080, [endpoint(app.port)]);
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig('1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c]),
  });
  t.after(() => s.close(100));
  const raw = await new Promise<string>((resolve) => {
    const sock = net.connect(s.ports.outbound, '127.0.0.1', () =>
      sock.write('GARBAGE\x01 / HTTP/1.1\r\n\r\n'),
    );
    let got = '';
    sock.on('data', (d) => (got += d));
    sock.on('close', () => resolve(got));
    sock.on('error', () => resolve(got));
  });
  assert.match(raw, /^HTTP\/1\.1 400/);
  // A request with no Host at all.
  const noHost = await new Promise<string>((resolve) => {
    const sock = net.connect(s.ports.outbound, '127.0.0.1', () => sock.write('GET / HTTP/1.0\r\n\r\n'));
    let got = '';
    sock.on('data', (d) => (got += d));
    sock.on('close', () => resolve(got));
  });
  assert.match(noHost, /^HTTP\/1\.1 400/);
  const ok = await get(s.outbound, 'reviews:9080', '/');
  assert.equal(ok.status, 200);
});

test('a request body is forwarded intact (and resent on retry)', async (t) => {
  let calls = 0;
  const server = http.createServer((req, res) => {
    calls++;
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      if (calls === 1) {
        res.writeHead(503);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const app = {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
  t.after(() => app.close());
  const c = cluster('reviews', 9080, [endpoint(app.port)]);
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig(
      '1',
      [
        vhost('reviews', 9080, [
          forward('r', [[c.name, 100]], {
            retry: { attempts: 1, retryOn: ['5xx'], retriableStatusCodes: [] },
          }),
        ]),
      ],
      [c],
    ),
  });
  t.after(() => s.close(100));
  const body = 'x'.repeat(100_000);
  const r = await get(s.outbound, 'reviews:9080', '/post', { 'content-type': 'text/plain' }, 'POST', body);
  assert.equal(r.status, 200);
  assert.equal(r.body.length, body.length);
  assert.equal(calls, 2);
});
