import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostKey, selectRoute, selectVirtualHost } from './route';
import { compiled, testCluster, testConfig } from './testing';

const c = testCluster('reviews', [1]);
const fwd = { type: 'forward' as const, destinations: [{ cluster: 'reviews', weight: 100 }] };

test('virtual host lookup: FQDN, Istio short names in the own namespace, default port 80, wildcards', () => {
  const cfg = compiled(testConfig([{ name: 'r', matches: [], action: fwd }], [c]));
  for (const a of [
    'reviews:9080',
    'REVIEWS:9080',
    'reviews.default:9080',
    'reviews.default.svc:9080',
    'reviews.default.svc.cluster.local:9080',
  ])
    assert.ok(selectVirtualHost(cfg, a), a);
  assert.equal(selectVirtualHost(cfg, 'reviews'), null, 'port 80 is another listener port');
  assert.equal(selectVirtualHost(cfg, 'reviews:9081'), null);
  const other = compiled(testConfig([{ name: 'r', matches: [], action: fwd }], [c]), 'other-ns');
  assert.equal(selectVirtualHost(other, 'reviews:9080'), null, 'short name only within the namespace');
  assert.ok(selectVirtualHost(other, 'reviews.default:9080'));
  const wild = compiled(testConfig([{ name: 'r', matches: [], action: fwd }], [c], ['*.example.com']));
  assert.ok(selectVirtualHost(wild, 'a.example.com:9080'));
  assert.equal(selectVirtualHost(wild, 'example.org:9080'), null);
  assert.equal(hostKey('[::1]'), '[::1]:80');
  assert.equal(hostKey('[::1]:81'), '[::1]:81');
});

test('first matching route wins; all conditions of a match must hold; withoutHeaders inverts', () => {
  const cfg = compiled(
    testConfig(
      [
        {
          name: 'jason',
          matches: [
            { headers: [{ name: 'End-User', match: { exact: 'jason' } }], uri: { prefix: '/reviews' } },
          ],
          action: fwd,
        },
        {
          name: 'not-test',
          matches: [{ headers: [{ name: 'x-test', match: { exact: '1' }, invert: true }] }],
          action: fwd,
        },
        { name: 'rest', matches: [], action: fwd },
      ],
      [c],
    ),
  );
  const routes = selectVirtualHost(cfg, 'reviews:9080')!.routes;
  const pick = (path: string, headers: string[]) =>
    selectRoute(routes, { method: 'GET', path, rawHeaders: headers })?.route.name;
  assert.equal(pick('/reviews/1', ['end-user', 'jason']), 'jason');
  assert.equal(pick('/other', ['end-user', 'jason']), 'not-test');
  assert.equal(pick('/reviews/1', ['End-User', 'jason', 'x-test', '1']), 'jason');
  assert.equal(pick('/other', ['x-test', '1']), 'rest');
});

test('query is not part of the uri match; query params and regex are full matches', () => {
  const cfg = compiled(
    testConfig(
      [
        { name: 'exact', matches: [{ uri: { exact: '/a' } }], action: fwd },
        { name: 'q', matches: [{ queryParams: [{ name: 'v', match: { regex: '[0-9]+' } }] }], action: fwd },
      ],
      [c],
    ),
  );
  const routes = selectVirtualHost(cfg, 'reviews:9080')!.routes;
  const pick = (path: string) => selectRoute(routes, { method: 'GET', path, rawHeaders: [] })?.route.name;
  assert.equal(pick('/a?x=1'), 'exact');
  assert.equal(pick('/b?v=12'), 'q');
  assert.equal(pick('/b?v=12a'), undefined);
});
