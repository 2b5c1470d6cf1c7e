/**
 * Certificate rotation under load on real processes, as the issue asks: certificates rotated every
 * 10 s. The control plane issues 20-second certificates (TRELLIS_CA_CERT_TTL=20s) and sidecars
 * renew at half life, so each rotates about every 10 s with 10 s of margin; a steady
 * 20 rps through productpage's sidecar to reviews over mTLS for 2 minutes fails nothing, while
 * both sidecars' /certs show at least 10 rotations.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { newAgent, type Reply, startControlPlane, tempDir, viaSidecar } from './e2e-harness';
import {
  adminJson,
  type CertsView,
  leaks,
  rootKeyFragments,
  startEcho,
  startProxy,
} from './e2e-security-support';

const RATE = 20; // requests per second
const SECONDS = 120;

test('certificates rotated every ~10 s under 20 rps for 2 minutes: zero failed requests, ≥ 10 rotations per sidecar', async (t) => {
  const dir = tempDir(t, 'trellis-e2e-rotation-');
  // The control plane (and only it) reads the CA lifetime from its environment at start.
  const saved = process.env.TRELLIS_CA_CERT_TTL;
  process.env.TRELLIS_CA_CERT_TTL = '20s';
  let cp: Awaited<ReturnType<typeof startControlPlane>>;
  try {
    cp = await startControlPlane(t, join(dir, 'cp'));
  } finally {
    if (saved === undefined) delete process.env.TRELLIS_CA_CERT_TTL;
    else process.env.TRELLIS_CA_CERT_TTL = saved;
  }
  const app = await startEcho(t, 'reviews');
  const ppApp = await startEcho(t, 'productpage');
  const [pp, reviews] = await Promise.all([
    startProxy(t, cp, { workload: 'productpage-v1', app: 'productpage', version: 'v1', appPort: ppApp.port }),
    startProxy(t, cp, { workload: 'reviews-v1', app: 'reviews', version: 'v1', appPort: app.port }),
  ]);
  const agent = newAgent(t);
  // The first request also waits for productpage to learn reviews' endpoint.
  const deadline = Date.now() + 30_000;
  while ((await viaSidecar(pp.outbound, agent)).status !== 200 && Date.now() < deadline) await sleep(200);

  const first = await adminJson<CertsView>(reviews.admin, '/certs');
  const lifetimeMs = Date.parse(first.certificate!.expirationTime) - Date.now();
  assert.ok(lifetimeMs > 0 && lifetimeMs <= 21_000, `certificates live ${lifetimeMs} ms (want ≤ 20 s)`);

  const serials = { productpage: new Set<string>(), reviews: new Set<string>() };
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      for (const [name, s] of [
        ['productpage', pp],
        ['reviews', reviews],
      ] as const) {
        const c = await adminJson<CertsView>(s.admin, '/certs').catch(() => undefined);
        if (c?.certificate) serials[name].add(c.certificate.serialNumber);
      }
      await sleep(500);
    }
  })();

  // Open loop: one request every 50 ms whatever the previous ones do.
  const started = Date.now();
  const inFlight: Promise<Reply>[] = [];
  for (let i = 0; i < RATE * SECONDS; i++) {
    const wait = started + (i * 1000) / RATE - Date.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(viaSidecar(pp.outbound, agent));
  }
  const replies = await Promise.all(inFlight);
  watching = false;
  await watcher;

  const failed = replies.filter((r) => r.status !== 200);
  assert.equal(replies.length, RATE * SECONDS);
  // The proxy's local replies name their flag and cause in the body: a failure should say why.
  const why: Record<string, number> = {};
  for (const r of failed) {
    const key = `status ${r.status}: ${r.body.trim()}`;
    why[key] = (why[key] ?? 0) + 1;
  }
  // On failure, what the sidecars said about renewals and refused connections tells why.
  const notes = [pp, reviews].flatMap((s) =>
    s.proc
      .output()
      .split('\n')
      .filter((l) => /renewal failed|refused|"level":"(warn|error)"/.test(l))
      .slice(-10),
  );
  assert.deepEqual(
    why,
    {},
    `${failed.length} of ${replies.length} requests failed; sidecar warnings:\n${notes.join('\n')}`,
  );
  const rotations = { productpage: serials.productpage.size - 1, reviews: serials.reviews.size - 1 };
  assert.ok(
    rotations.productpage >= 10 && rotations.reviews >= 10,
    `rotations seen: ${JSON.stringify(rotations)}`,
  );
  const pp2 = await adminJson<CertsView>(pp.admin, '/certs');
  assert.ok(pp2.rotations >= 11, `productpage installed ${pp2.rotations} certificates`);
  t.diagnostic(`${replies.length} requests, 0 failed; rotations ${JSON.stringify(rotations)}`);

  // None of the rotations printed anything of the root key.
  const fragments = rootKeyFragments(cp.dataDir);
  const logs: [string, string][] = [
    ['control plane log', cp.proc.output()],
    ['productpage log', pp.proc.output()],
    ['reviews log', reviews.proc.output()],
  ];
  for (const [where, text] of logs) assert.deepEqual(leaks(text, fragments), [], where);
});
