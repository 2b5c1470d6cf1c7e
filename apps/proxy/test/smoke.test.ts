import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cluster, endpoint, forward, get, proxyConfig, startApp, startSidecar, vhost } from './harness';

test('smoke: a request through the outbound listener reaches the app', async (t) => {
  const app = await startApp('reviews', 'v1');
  t.after(() => app.close());
  const c = cluster('reviews', 9080, [endpoint(app.port)]);
  const s = await startSidecar({
    workload: 'productpage-v1',
    appPort: 1,
    config: proxyConfig('1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c]),
  });
  t.after(() => s.close(100));
  const r = await get(s.outbound, 'reviews:9080', '/x?y=1');
  assert.equal(r.status, 200, r.body);
  assert.equal(JSON.parse(r.body).path, '/x?y=1');
  const nr = await get(s.outbound, 'nope:9080', '/');
  assert.equal(nr.status, 404);
  assert.match(nr.body, /no route to host nope:9080/);
});
