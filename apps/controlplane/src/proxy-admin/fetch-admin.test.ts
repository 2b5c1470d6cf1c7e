import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { adminGet } from './fetch-admin';
import { adminClustersSchema } from './schemas';

async function serve(
  t: { after(fn: () => Promise<void>): void },
  handler: Parameters<typeof createServer>[1],
): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('a good answer is parsed; a wrong shape or a non-200 is a bad response naming the path', async (t) => {
  const good = await serve(t, (_req, res) => res.end(JSON.stringify({ clusters: [] })));
  assert.deepEqual(await adminGet(good, '/clusters?format=json', adminClustersSchema), {
    ok: true,
    value: { clusters: [] },
  });
  const wrong = await serve(t, (_req, res) => res.end(JSON.stringify({ clusters: [{ name: 1 }] })));
  const w = await adminGet(wrong, '/clusters?format=json', adminClustersSchema);
  assert.ok(
    !w.ok && w.failure.kind === 'bad-response' && /clusters\.0\.name/.test(w.failure.message),
    JSON.stringify(w),
  );
  const failing = await serve(t, (_req, res) => {
    res.statusCode = 500;
    res.end('boom');
  });
  const f = await adminGet(failing, '/certs', adminClustersSchema);
  assert.ok(!f.ok && f.failure.kind === 'bad-response' && /answered 500: boom/.test(f.failure.message));
  // A status the caller names as "absent" (404 from /certs: no mesh identity) is not a failure.
  const absent = await serve(t, (_req, res) => {
    res.statusCode = 404;
    res.end('no mesh identity');
  });
  assert.deepEqual(await adminGet(absent, '/certs', adminClustersSchema, { absentOn: [404] }), {
    ok: true,
    value: undefined,
  });
});

test('a refused connection and a sidecar that never answers are unreachable, the latter within the deadline', async (t) => {
  const closed = await serve(t, () => {});
  // Take the port back: nothing listens there any more.
  const port = closed.split(':')[1];
  const refusedAddress = await new Promise<string>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = `127.0.0.1:${(s.address() as AddressInfo).port}`;
      s.close(() => resolve(a));
    });
  });
  const refused = await adminGet(refusedAddress, '/clusters?format=json', adminClustersSchema);
  assert.ok(!refused.ok && refused.failure.kind === 'unreachable', JSON.stringify(refused));

  const started = performance.now();
  const silent = await adminGet(`127.0.0.1:${port}`, '/clusters?format=json', adminClustersSchema, {
    timeoutMs: 300,
  });
  const took = performance.now() - started;
  assert.ok(!silent.ok && silent.failure.kind === 'unreachable', JSON.stringify(silent));
  assert.match(silent.ok ? '' : silent.failure.message, /within 300 ms/);
  assert.ok(took >= 250 && took < 5000, `gave up after ${Math.round(took)} ms`);
});
