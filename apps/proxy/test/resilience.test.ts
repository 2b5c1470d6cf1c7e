/**
 * Resilience features on real traffic: retries, outlier detection, circuit breaking, fault
 * injection, timeouts, and the proxy's own error replies (UH, UF, URX, UT, UO).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster } from '@trellis/shared';
import { reservePort } from '@trellis/testkit';
import {
  type App,
  adminText,
  cluster,
  endpoint,
  forward,
  get,
  load,
  proxyConfig,
  type Sidecar,
  sleep,
  startApp,
  startSidecar,
  vhost,
} from './harness';

type Ctx = { after(fn: () => unknown): void };

function failing(app: App, status = 503): void {
  app.handler = (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end('broken');
  };
}

async function threeEndpoints(t: Ctx): Promise<App[]> {
  const apps = await Promise.all(['a', 'b', 'c'].map((v) => startApp('reviews', v)));
  t.after(() => Promise.all(apps.map((a) => a.close())));
  return apps;
}

async function sidecarFor(t: Ctx, c: Cluster, route: ReturnType<typeof forward>): Promise<Sidecar> {
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig('1', [vhost(c.service.split('.')[0]!, c.port, [route])], [c]),
  });
  t.after(() => s.close(100));
  return s;
}

/** A port with nothing listening, claimed so no other test's listener takes it meanwhile. */
function deadPort(): Promise<number> {
  return reservePort();
}

test('retries (attempts 3, retryOn 5xx) hide one failing endpoint of three: ≥ 99.9% success over 1,000', async (t) => {
  const apps = await threeEndpoints(t);
  failing(apps[1]!);
  const c = cluster(
    'reviews',
    9080,
    apps.map((a) => endpoint(a.port, a.version)),
  );
  const s = await sidecarFor(
    t,
    c,
    forward('r', [[c.name, 100]], { retry: { attempts: 3, retryOn: ['5xx'], retriableStatusCodes: [] } }),
  );
  const r = await load(1000, 8, () => get(s.outbound, 'reviews:9080', '/'));
  const ok = r.byStatus.get(200) ?? 0;
  assert.ok(ok >= 999, `only ${ok} of 1000 succeeded: ${[...r.byStatus]}`);
  assert.ok(apps[1]!.hits > 0, 'the failing endpoint was tried (so retries did the work)');
  const stats = await adminText(s, '/stats');
  assert.match(stats.body, /outbound\.upstream_rq_retry: [1-9]/);
});

test('retries exhausted answer with the last failure and URX; connect failures are 503 UF', async (t) => {
  const [a] = await Promise.all([startApp('reviews', 'v1')]);
  t.after(() => a!.close());
  failing(a!, 503);
  const c = cluster('reviews', 9080, [endpoint(a!.port)]);
  const s = await sidecarFor(
    t,
    c,
    forward('r', [[c.name, 100]], {
      retry: { attempts: 2, retryOn: ['gateway-error'], retriableStatusCodes: [] },
    }),
  );
  const r = await get(s.outbound, 'reviews:9080', '/');
  assert.equal(r.status, 503);
  assert.equal(a!.hits, 3, 'first try plus two retries');
  await sleep(20);
  assert.deepEqual(s.records.at(-1)?.responseFlags, ['URX']);
  assert.equal(s.records.at(-1)?.attempts, 3);

  const dead = cluster('ratings', 9080, [endpoint(await deadPort())]);
  const s2 = await sidecarFor(t, dead, forward('r', [[dead.name, 100]]));
  const uf = await get(s2.outbound, 'ratings.default.svc.cluster.local:9080', '/');
  assert.equal(uf.status, 503);
  assert.match(uf.body, /upstream connect error.*connection failure.*outbound\|9080\|\|ratings/);
  await sleep(20);
  assert.deepEqual(s2.records.at(-1)?.responseFlags, ['UF']);

  const dead2 = cluster('ratings', 9080, [endpoint(await deadPort())]);
  const s3 = await sidecarFor(
    t,
    dead2,
    forward('r', [[dead2.name, 100]], {
      retry: { attempts: 2, retryOn: ['connect-failure'], retriableStatusCodes: [] },
    }),
  );
  const urx = await get(s3.outbound, 'ratings.default.svc.cluster.local:9080', '/');
  assert.equal(urx.status, 503);
  await sleep(20);
  assert.deepEqual(s3.records.at(-1)?.responseFlags?.slice().sort(), ['UF', 'URX']);
});

test('no endpoints → 503 UH naming the cluster', async (t) => {
  const c = cluster('details', 9080, []);
  const s = await sidecarFor(t, c, forward('r', [[c.name, 100]]));
  const r = await get(s.outbound, 'details:9080', '/');
  assert.equal(r.status, 503);
  assert.match(r.body, /no healthy upstream for outbound\|9080\|\|details\.default\.svc\.cluster\.local/);
});

test('outlier detection ejects a failing endpoint, brings it back after baseEjectionTime, honours maxEjectionPercent', async (t) => {
  const apps = await threeEndpoints(t);
  failing(apps[0]!, 500);
  const c = cluster(
    'reviews',
    9080,
    apps.map((a) => endpoint(a.port, a.version)),
    {
      outlierDetection: {
        consecutive5xxErrors: 3,
        intervalMs: 50,
        baseEjectionTimeMs: 3000,
        maxEjectionPercent: 100,
      },
    },
  );
  const s = await sidecarFor(t, c, forward('r', [[c.name, 100]]));
  // Round robin sends every third request to the failing endpoint: 3 failures eject it.
  await load(12, 1, () => get(s.outbound, 'reviews:9080', '/'));
  const hitsAtEjection = apps[0]!.hits;
  assert.equal(hitsAtEjection, 3);
  const after = await load(30, 4, () => get(s.outbound, 'reviews:9080', '/'));
  assert.equal(after.byStatus.get(200), 30, 'no request reaches the ejected endpoint');
  assert.equal(apps[0]!.hits, hitsAtEjection);
  const clusters = await adminText(s, '/clusters');
  assert.match(
    clusters.body,
    new RegExp(`127\\.0\\.0\\.1:${apps[0]!.port}::health_flags::/failed_outlier_check`),
  );

  // Healed, it returns after the ejection time (checked at the next interval).
  apps[0]!.handler = null;
  for (let i = 0; i < 400 && apps[0]!.hits === hitsAtEjection; i++) {
    await get(s.outbound, 'reviews:9080', '/');
    await sleep(20);
  }
  assert.ok(apps[0]!.hits > hitsAtEjection, 'the endpoint came back');

  // maxEjectionPercent 50 with 3 endpoints: after one ejection, a second would be 67% > 50%.
  const more = await threeEndpoints(t);
  failing(more[0]!, 500);
  failing(more[1]!, 500);
  const c2 = cluster(
    'ratings',
    9080,
    more.map((a) => endpoint(a.port, a.version)),
    {
      outlierDetection: {
        consecutive5xxErrors: 2,
        intervalMs: 1000,
        baseEjectionTimeMs: 30_000,
        maxEjectionPercent: 50,
      },
    },
  );
  const s2 = await sidecarFor(t, c2, forward('r', [[c2.name, 100]]));
  await load(30, 1, () => get(s2.outbound, 'ratings:9080', '/'));
  const view = await adminText(s2, '/clusters');
  const ejected = view.body.split('\n').filter((l) => l.endsWith('/failed_outlier_check')).length;
  assert.equal(ejected, 1, view.body);
});

test('maxConnections 1 + http1MaxPendingRequests 1: a 50-request burst gets some 503 UO and nothing hangs', async (t) => {
  const [a] = await Promise.all([startApp('reviews', 'v1')]);
  t.after(() => a!.close());
  a!.handler = (_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('slow ok');
    }, 30);
  };
  const c = cluster('reviews', 9080, [endpoint(a!.port)], {
    connectionPool: { maxConnections: 1, http1MaxPendingRequests: 1 },
  });
  const s = await sidecarFor(t, c, forward('r', [[c.name, 100]]));
  const started = performance.now();
  const r = await load(50, 50, () => get(s.outbound, 'reviews:9080', '/'));
  const elapsed = performance.now() - started;
  const uo = r.byStatus.get(503) ?? 0;
  assert.equal(r.total, 50);
  assert.ok(uo > 0, `some overflowed: ${[...r.byStatus]}`);
  assert.ok((r.byStatus.get(200) ?? 0) >= 2, 'the admitted and the queued request succeed');
  assert.equal((r.byStatus.get(200) ?? 0) + uo, 50, `only 200 and 503: ${[...r.byStatus]}`);
  assert.match(r.replies.find((x) => x.status === 503)!.body, /upstream overflow: outbound\|9080\|\|reviews/);
  assert.ok(elapsed < 20_000, 'the burst finished');
  const stats = await adminText(s, '/stats');
  assert.match(stats.body, /outbound\.response_flag\.UO: [1-9]/);
  // And the cluster serves again once the burst is over.
  assert.equal((await get(s.outbound, 'reviews:9080', '/')).status, 200);
});

test('fault abort at 50% aborts 50 ± 5% of 1,000 requests with FI', async (t) => {
  const [a] = await Promise.all([startApp('ratings', 'v1')]);
  t.after(() => a!.close());
  const c = cluster('ratings', 9080, [endpoint(a!.port)]);
  const s = await sidecarFor(
    t,
    c,
    forward('r', [[c.name, 100]], { fault: { abort: { httpStatus: 418, percent: 50 } } }),
  );
  const r = await load(1000, 16, () => get(s.outbound, 'ratings:9080', '/'));
  const aborted = r.byStatus.get(418) ?? 0;
  assert.equal(aborted + (r.byStatus.get(200) ?? 0), 1000);
  assert.ok(aborted >= 450 && aborted <= 550, `aborted ${aborted}`);
  assert.equal(a!.hits, 1000 - aborted, 'aborted requests never reach the app');
  await sleep(20);
  assert.ok(s.records.some((x) => x.responseFlags.includes('FI') && x.responseCode === 418));
});

test('a 200 ms fault delay is visible (≥ 190 ms), and a route timeout answers 504 UT', async (t) => {
  const [a] = await Promise.all([startApp('ratings', 'v1')]);
  t.after(() => a!.close());
  const c = cluster('ratings', 9080, [endpoint(a!.port)]);
  const s = await sidecarFor(
    t,
    c,
    forward('r', [[c.name, 100]], { fault: { delay: { fixedDelayMs: 200, percent: 100 } } }),
  );
  const fast = await get(s.outbound, 'ratings:9080', '/');
  assert.equal(fast.status, 200);
  assert.ok(fast.ms >= 190, `took ${fast.ms} ms`);
  await sleep(20);
  assert.ok(s.records.at(-1)?.responseFlags.includes('DI'));

  const slow = await startApp('details', 'v1', (_req, res) => {
    setTimeout(() => res.end('late'), 1500);
  });
  t.after(() => slow.close());
  const c2 = cluster('details', 9080, [endpoint(slow.port)]);
  const s2 = await sidecarFor(t, c2, forward('r', [[c2.name, 100]], { timeoutMs: 150 }));
  const r = await get(s2.outbound, 'details:9080', '/');
  assert.equal(r.status, 504);
  assert.match(r.body, /upstream request timeout/);
  assert.ok(r.ms < 1400, `answered at the timeout, not when the app did (${r.ms} ms)`);
  await sleep(20);
  assert.ok(s2.records.at(-1)?.responseFlags.includes('UT'));
});

test('per-try timeout with retries moves on to a healthy endpoint', async (t) => {
  const apps = await threeEndpoints(t);
  apps[0]!.handler = (_req, res) => void setTimeout(() => res.end('late'), 1000);
  const c = cluster(
    'reviews',
    9080,
    apps.map((a) => endpoint(a.port, a.version)),
  );
  const s = await sidecarFor(
    t,
    c,
    forward('r', [[c.name, 100]], {
      retry: { attempts: 2, perTryTimeoutMs: 100, retryOn: ['5xx', 'reset'], retriableStatusCodes: [] },
    }),
  );
  const r = await load(9, 1, () => get(s.outbound, 'reviews:9080', '/'));
  assert.equal(r.byStatus.get(200), 9, [...r.byStatus].join());
});

test('maxRetries bounds retries in flight across requests', async (t) => {
  const [a] = await Promise.all([startApp('reviews', 'v1')]);
  t.after(() => a!.close());
  a!.handler = (_req, res) => {
    setTimeout(() => {
      res.writeHead(503);
      res.end('no');
    }, 20);
  };
  const c = cluster('reviews', 9080, [endpoint(a!.port)], { connectionPool: { maxRetries: 1 } });
  const s = await sidecarFor(
    t,
    c,
    forward('r', [[c.name, 100]], { retry: { attempts: 5, retryOn: ['5xx'], retriableStatusCodes: [] } }),
  );
  await load(10, 10, () => get(s.outbound, 'reviews:9080', '/'));
  const stats = await adminText(s, '/stats');
  assert.match(stats.body, /upstream_rq_retry_overflow: [1-9]/);
  // Without the budget 10 requests would make 60 tries.
  assert.ok(a!.hits < 60, `hits ${a!.hits}`);
});

test('maxRequestsPerConnection: the upstream sees a fresh connection after N requests', async (t) => {
  const ports = new Set<number>();
  const [a] = await Promise.all([
    startApp('reviews', 'v1', (req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.end('ok');
    }),
  ]);
  t.after(() => a!.close());
  const c = cluster('reviews', 9080, [endpoint(a!.port)], {
    connectionPool: { maxRequestsPerConnection: 2 },
  });
  const s = await sidecarFor(t, c, forward('r', [[c.name, 100]]));
  const r = await load(10, 1, () => get(s.outbound, 'reviews:9080', '/'));
  assert.equal(r.byStatus.get(200), 10);
  assert.equal(ports.size, 5, `${ports.size} upstream connections for 10 requests`);
});

test('the access log writes one JSON line per request with Envoy-style fields when the config turns it on', async (t) => {
  const [a] = await Promise.all([startApp('reviews', 'v1')]);
  t.after(() => a!.close());
  const c = cluster('reviews', 9080, [endpoint(a!.port)]);
  const lines: string[] = [];
  const cfg = proxyConfig('1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c]);
  cfg.telemetry.accessLog = true;
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: cfg,
    accessLog: (l) => lines.push(l),
  });
  t.after(() => s.close(100));
  await get(s.outbound, 'reviews:9080', '/a?b=c');
  await get(s.outbound, 'nope:1', '/');
  await sleep(20);
  assert.equal(lines.length, 2);
  const [ok, nr] = lines.map((l) => JSON.parse(l));
  assert.equal(ok.response_code, 200);
  assert.equal(ok.path, '/a');
  assert.equal(ok.response_flags, '-');
  assert.equal(ok.upstream_cluster, c.name);
  assert.equal(ok.upstream_host, `127.0.0.1:${a!.port}`);
  assert.equal(nr.response_code, 404);
  assert.equal(nr.response_flags, 'NR');
});
