/**
 * Config application on a live proxy: requests in flight finish on the config they started
 * with, a swap takes effect for the next request, a bad config is rejected with a pointed error
 * while the old one keeps serving, and the admin port reports all of it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  adminText,
  cluster,
  endpoint,
  forward,
  get,
  load,
  proxyConfig,
  sleep,
  startApp,
  startSidecar,
  versionOf,
  vhost,
} from './harness';

test('a swap while requests are in flight: they finish on the old config, new requests use the new one', async (t) => {
  const v1 = await startApp('reviews', 'v1');
  const v2 = await startApp('reviews', 'v2');
  t.after(() => Promise.all([v1.close(), v2.close()]));
  const c1 = cluster('reviews', 9080, [endpoint(v1.port, 'v1')], { subset: 'v1' });
  const c2 = cluster('reviews', 9080, [endpoint(v2.port, 'v2')], { subset: 'v2' });
  // Old config: a 1 s injected delay before the request picks its cluster (v1).
  const old = proxyConfig(
    '1',
    [
      vhost('reviews', 9080, [
        forward('r', [[c1.name, 100]], { fault: { delay: { fixedDelayMs: 1000, percent: 100 } } }),
      ]),
    ],
    [c1],
  );
  const next = proxyConfig('2', [vhost('reviews', 9080, [forward('r', [[c2.name, 100]])])], [c2]);
  const s = await startSidecar({ workload: 'productpage-v1', appPort: 1 });
  t.after(() => s.close(100));
  assert.equal((await adminText(s, '/ready')).status, 503, 'not ready before the first config');
  assert.equal((await get(s.outbound, 'reviews:9080', '/')).status, 503);
  assert.deepEqual(s.applyConfig(old), { ok: true });
  assert.equal((await adminText(s, '/ready')).status, 200);

  const inflight = load(20, 20, () => get(s.outbound, 'reviews:9080', '/'), versionOf);
  // Wait until all 20 are inside the proxy (and so hold the old config), however slow the machine.
  for (let i = 0; i < 100 && s.inflight().outbound < 20; i++) await sleep(5);
  assert.equal(s.inflight().outbound, 20);
  // The old cluster is gone from the new config entirely; requests delayed under the old one
  // still complete against it.
  assert.deepEqual(s.applyConfig(next), { ok: true });
  const fresh = await get(s.outbound, 'reviews:9080', '/');
  assert.equal(versionOf(fresh), 'v2');
  const r = await inflight;
  assert.deepEqual([...r.byKey], [['v1', 20]]);
});

test('a config that cannot be applied is rejected with its path; the old one keeps serving', async (t) => {
  const v1 = await startApp('reviews', 'v1');
  t.after(() => v1.close());
  const c1 = cluster('reviews', 9080, [endpoint(v1.port, 'v1')]);
  const good = proxyConfig('7', [vhost('reviews', 9080, [forward('r', [[c1.name, 100]])])], [c1]);
  const s = await startSidecar({ workload: 'productpage-v1', appPort: 1, config: good });
  t.after(() => s.close(100));

  const unknownCluster = proxyConfig(
    '8',
    [vhost('reviews', 9080, [forward('r', [['outbound|1||nope', 100]])])],
    [c1],
  );
  const r1 = s.applyConfig(unknownCluster);
  assert.equal(r1.ok, false);
  assert.match(
    !r1.ok ? r1.error : '',
    /outbound\.virtualHosts\[0\]\.routes\[0\]\.action\.destinations\[0\]\.cluster: unknown cluster/,
  );

  const badRegex = proxyConfig(
    '9',
    [vhost('reviews', 9080, [forward('r', [[c1.name, 100]], {}, [{ uri: { regex: '/(a' } }])])],
    [c1],
  );
  const r2 = s.applyConfig(badRegex);
  assert.equal(r2.ok, false);
  assert.equal(!r2.ok && r2.cause.kind, 'regex');
  assert.match(!r2.ok ? r2.error : '', /matches\[0\]\.uri: invalid RE2 regex/);

  const r3 = s.applyConfig({ version: 10, outbound: {} });
  assert.equal(r3.ok, false);
  assert.match(!r3.ok ? r3.error : '', /^version: /);
  assert.equal(s.applyConfig('{not json').ok, false);

  const after = await load(50, 5, () => get(s.outbound, 'reviews:9080', '/'), versionOf);
  assert.deepEqual([...after.byKey], [['v1', 50]]);
  const dump = JSON.parse((await adminText(s, '/config_dump')).body);
  assert.equal(dump.version, '7');
  assert.equal(dump.rejected, 4);
  assert.match(dump.lastError, /config is not JSON/);
  assert.equal(dump.config.outbound.clusters[0].name, c1.name);
  const stats = (await adminText(s, '/stats')).body;
  assert.match(stats, /config\.rejected: 4/);
  const logging = await adminText(s, '/logging');
  assert.match(logging.body, /proxy: error/);
});

test('cluster state survives a push: an ejected endpoint stays ejected when the cluster is unchanged', async (t) => {
  const a = await startApp('reviews', 'a');
  const b = await startApp('reviews', 'b');
  t.after(() => Promise.all([a.close(), b.close()]));
  a.handler = (_req, res) => {
    res.writeHead(500);
    res.end();
  };
  const c = cluster('reviews', 9080, [endpoint(a.port, 'a'), endpoint(b.port, 'b')], {
    outlierDetection: {
      consecutive5xxErrors: 2,
      intervalMs: 1000,
      baseEjectionTimeMs: 60_000,
      maxEjectionPercent: 100,
    },
  });
  const cfg = (v: string) => proxyConfig(v, [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c]);
  const s = await startSidecar({ workload: 'productpage-v1', appPort: 1, config: cfg('1') });
  t.after(() => s.close(100));
  await load(6, 1, () => get(s.outbound, 'reviews:9080', '/'));
  const hits = a.hits;
  assert.equal(hits, 2);
  assert.deepEqual(s.applyConfig(cfg('2')), { ok: true });
  const r = await load(20, 2, () => get(s.outbound, 'reviews:9080', '/'), versionOf);
  assert.deepEqual([...r.byKey], [['b', 20]]);
  assert.equal(a.hits, hits);
});
