/**
 * Routing through a real outbound listener to real upstream servers: header matches, weighted
 * splits, HTTP_PROXY absolute-form, Istio short names, rewrite, header operations, mirroring, NR.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import {
  type App,
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

async function apps(t: { after(fn: () => unknown): void }, ...versions: string[]): Promise<App[]> {
  const out = await Promise.all(versions.map((v) => startApp('reviews', v)));
  t.after(() => Promise.all(out.map((a) => a.close())));
  return out;
}

test('a header match sends every end-user: jason request to its subset, others to the default', async (t) => {
  const [v1, v2] = await apps(t, 'v1', 'v2');
  const c1 = cluster('reviews', 9080, [endpoint(v1!.port, 'v1', 'reviews')], { subset: 'v1' });
  const c2 = cluster('reviews', 9080, [endpoint(v2!.port, 'v2', 'reviews')], { subset: 'v2' });
  const routes = [
    forward('jason', [[c2.name, 100]], {}, [{ headers: [{ name: 'end-user', match: { exact: 'jason' } }] }]),
    forward('default', [[c1.name, 100]]),
  ];
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig('1', [vhost('reviews', 9080, routes)], [c1, c2]),
  });
  t.after(() => s.close(100));
  const jason = await load(
    200,
    8,
    () => get(s.outbound, 'reviews:9080', '/reviews/0', { 'end-user': 'jason' }),
    versionOf,
  );
  assert.deepEqual([...jason.byKey], [['v2', 200]]);
  const others = await load(
    200,
    8,
    () => get(s.outbound, 'reviews:9080', '/reviews/0', { 'end-user': 'bob' }),
    versionOf,
  );
  assert.deepEqual([...others.byKey], [['v1', 200]]);
});

test('a 90/10 weighted split lands within ±3 points over 2,000 requests', async (t) => {
  const [v1, v2] = await apps(t, 'v1', 'v2');
  const c1 = cluster('reviews', 9080, [endpoint(v1!.port, 'v1', 'reviews')], { subset: 'v1' });
  const c2 = cluster('reviews', 9080, [endpoint(v2!.port, 'v2', 'reviews')], { subset: 'v2' });
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig(
      '1',
      [
        vhost('reviews', 9080, [
          forward('split', [
            [c1.name, 90],
            [c2.name, 10],
          ]),
        ]),
      ],
      [c1, c2],
    ),
  });
  t.after(() => s.close(100));
  const r = await load(2000, 16, () => get(s.outbound, 'reviews:9080', '/'), versionOf);
  assert.equal(r.byStatus.get(200), 2000);
  const v2share = ((r.byKey.get('v2') ?? 0) / 2000) * 100;
  assert.ok(v2share >= 7 && v2share <= 13, `v2 got ${v2share}%`);
});

test('HTTP_PROXY absolute-form, short names and FQDN all reach the service; unknown hosts get 404 NR', async (t) => {
  const [v1] = await apps(t, 'v1');
  const c = cluster('reviews', 9080, [endpoint(v1!.port)]);
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig('1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c]),
  });
  t.after(() => s.close(100));
  for (const host of ['reviews:9080', 'reviews.default:9080', 'reviews.default.svc.cluster.local:9080']) {
    const r = await get(s.outbound, host, '/a');
    assert.equal(r.status, 200, `${host}: ${r.body}`);
    assert.equal(JSON.parse(r.body).host, host, 'the Host header reaches the app unchanged');
  }
  const wrongPort = await get(s.outbound, 'reviews:9999', '/a');
  assert.equal(wrongPort.status, 404);
  assert.match(wrongPort.body, /no route to host reviews:9999/);

  // An app with HTTP_PROXY set sends absolute-form requests to its sidecar.
  const body = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: s.ports.outbound,
        path: 'http://reviews:9080/abs?q=1',
        headers: { host: 'reviews:9080' },
      },
      (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
      },
    );
    req.on('error', reject);
    req.end();
  });
  assert.equal(body.status, 200);
  assert.equal(JSON.parse(body.body).path, '/abs?q=1');
});

test('rewrite, header set/add/remove on request and response, and mirroring with a -shadow host', async (t) => {
  const [v1] = await apps(t, 'v1');
  const mirror = await startApp('reviews', 'mirror');
  t.after(() => mirror.close());
  const c = cluster('reviews', 9080, [endpoint(v1!.port)]);
  const m = cluster('reviews', 9080, [endpoint(mirror.port, 'mirror')], { subset: 'mirror' });
  const route = forward(
    'api',
    [[c.name, 100]],
    {
      rewrite: { uri: '/v2/', authority: 'reviews-internal:9080' },
      headers: {
        request: { set: { 'x-set': 'yes' }, add: { 'x-added': 'a' }, remove: ['x-secret'] },
        response: { set: { 'x-served-by': 'mesh' }, remove: ['x-powered-by'] },
      },
      mirror: { cluster: m.name, percent: 100 },
    },
    [{ uri: { prefix: '/api/' } }],
  );
  v1!.handler = (req, res) => {
    res.writeHead(200, { 'x-powered-by': 'node', 'content-type': 'text/plain' });
    res.end(`${req.url} ${req.headers.host}`);
  };
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig('1', [vhost('reviews', 9080, [route])], [c, m]),
  });
  t.after(() => s.close(100));
  const r = await get(s.outbound, 'reviews:9080', '/api/items?x=1', { 'x-secret': 's', 'x-set': 'client' });
  assert.equal(r.status, 200);
  assert.equal(r.body, '/v2/items?x=1 reviews-internal:9080');
  assert.equal(v1!.last?.['x-set'], 'yes');
  assert.equal(v1!.last?.['x-added'], 'a');
  assert.equal(v1!.last?.['x-secret'], undefined);
  assert.equal(v1!.last?.['x-trellis-source'], 'productpage-v1,default,v1,productpage');
  assert.equal(r.headers['x-served-by'], 'mesh');
  assert.equal(r.headers['x-powered-by'], undefined);
  for (let i = 0; i < 50 && mirror.hits === 0; i++) await sleep(20);
  assert.equal(mirror.hits, 1, 'the mirror got a copy');
  assert.equal(mirror.last?.host, 'reviews-internal-shadow:9080');
  const miss = await get(s.outbound, 'reviews:9080', '/other');
  assert.equal(miss.status, 404);
  assert.match(miss.body, /no route matched \/other/);
});

test('uri regex, method, query parameter and ignoreUriCase matches', async (t) => {
  const [v1, v2, v3] = await apps(t, 'v1', 'v2', 'v3');
  const cs = [v1!, v2!, v3!].map((a) =>
    cluster('reviews', 9080, [endpoint(a.port, a.version)], { subset: a.version }),
  );
  const routes = [
    forward('regex', [[cs[0]!.name, 100]], {}, [
      { uri: { regex: '/item/[0-9]+' }, method: { exact: 'GET' } },
    ]),
    forward('query', [[cs[1]!.name, 100]], {}, [
      { queryParams: [{ name: 'canary', match: { exact: 'true' } }] },
    ]),
    forward('case', [[cs[2]!.name, 100]], {}, [{ uri: { prefix: '/admin' }, ignoreUriCase: true }]),
  ];
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig('1', [vhost('reviews', 9080, routes)], cs),
  });
  t.after(() => s.close(100));
  assert.equal(versionOf(await get(s.outbound, 'reviews:9080', '/item/42')), 'v1');
  assert.equal(
    (await get(s.outbound, 'reviews:9080', '/item/42x')).status,
    404,
    'regex matches the whole path',
  );
  assert.equal((await get(s.outbound, 'reviews:9080', '/item/42', {}, 'POST', 'x')).status, 404);
  assert.equal(versionOf(await get(s.outbound, 'reviews:9080', '/any?canary=true')), 'v2');
  assert.equal(versionOf(await get(s.outbound, 'reviews:9080', '/ADMIN/panel')), 'v3');
});
