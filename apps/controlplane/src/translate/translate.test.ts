import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProxyConfig, Route, RouteAction, VirtualHost } from '@trellis/shared';
import { proxy, REVIEWS, REVIEWS_HOST, REVIEWS_SUBSETS, res, snapshot } from './testing';
import { translate } from './translate';

function vhost(cfg: ProxyConfig, name: string): VirtualHost {
  const v = cfg.outbound.virtualHosts.find((h) => h.name === name);
  assert.ok(v, `virtual host ${name} in ${cfg.outbound.virtualHosts.map((h) => h.name).join(', ')}`);
  return v;
}

function forward(route: Route | undefined): Extract<RouteAction, { type: 'forward' }> {
  assert.ok(route);
  assert.equal(route.action.type, 'forward');
  return route.action as Extract<RouteAction, { type: 'forward' }>;
}

const RATINGS = [{ service: 'ratings', workload: 'ratings-v1', inbound: '127.0.0.1:16100' }];

describe('translate: services without a VirtualService', () => {
  it('gives each service port a default route over all its endpoints', () => {
    const cfg = translate(snapshot([], REVIEWS), proxy());
    const v = vhost(cfg, `${REVIEWS_HOST}:9080`);
    assert.equal(v.port, 9080);
    assert.equal(v.routes.length, 1);
    assert.equal(v.routes[0]!.name, 'default');
    assert.deepEqual(v.routes[0]!.matches, []);
    assert.deepEqual(forward(v.routes[0]).destinations, [
      { cluster: `outbound|9080||${REVIEWS_HOST}`, weight: 100 },
    ]);
    const cluster = cfg.outbound.clusters.find((c) => c.name === `outbound|9080||${REVIEWS_HOST}`);
    assert.ok(cluster);
    assert.equal(cluster.lb, 'ROUND_ROBIN');
    assert.deepEqual(
      cluster.endpoints.map((e) => `${e.host}:${e.port}`),
      ['127.0.0.1:16001', '127.0.0.1:16002', '127.0.0.1:16003'],
    );
  });

  it('answers to the short name only inside the service namespace', () => {
    const same = vhost(translate(snapshot([], REVIEWS), proxy()), `${REVIEWS_HOST}:9080`);
    assert.ok(same.domains.includes('reviews'));
    assert.ok(same.domains.includes('reviews.default'));
    const other = vhost(
      translate(snapshot([], REVIEWS), proxy({ namespace: 'shop' })),
      `${REVIEWS_HOST}:9080`,
    );
    assert.ok(!other.domains.includes('reviews'));
    assert.ok(other.domains.includes('reviews.default'));
    assert.ok(other.domains.includes(REVIEWS_HOST));
  });

  it('applies the default retry policy and no timeout', () => {
    const action = forward(
      vhost(translate(snapshot([], REVIEWS), proxy()), `${REVIEWS_HOST}:9080`).routes[0],
    );
    assert.deepEqual(action.retry, {
      attempts: 2,
      retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'],
      retriableStatusCodes: [503],
    });
    assert.equal(action.timeoutMs, undefined);
  });
});

describe('translate: VirtualService selection', () => {
  const route = (subset: string) => ({
    hosts: ['reviews'],
    http: [{ route: [{ destination: { host: 'reviews', subset } }] }],
  });

  it('resolves short hosts in the VirtualService namespace, for proxies of any namespace', () => {
    const s = snapshot(
      [
        res('VirtualService', 'default', 'reviews', route('v2')),
        res('DestinationRule', 'default', 'reviews', REVIEWS_SUBSETS),
      ],
      REVIEWS,
    );
    const cfg = translate(s, proxy({ namespace: 'shop' }));
    assert.deepEqual(forward(vhost(cfg, `${REVIEWS_HOST}:9080`).routes[0]).destinations, [
      { cluster: `outbound|9080|v2|${REVIEWS_HOST}`, weight: 100 },
    ]);
  });

  it('a short host in another namespace names a different service', () => {
    const s = snapshot([res('VirtualService', 'shop', 'reviews', route('v2'))], REVIEWS);
    const v = vhost(translate(s, proxy()), `${REVIEWS_HOST}:9080`);
    assert.equal(v.routes[0]!.name, 'default');
  });

  it('the oldest VirtualService for a host wins', () => {
    const s = snapshot(
      [
        res('VirtualService', 'default', 'newer', route('v3'), '2026-02-01T00:00:00Z'),
        res('VirtualService', 'default', 'older', route('v1'), '2026-01-01T00:00:00Z'),
      ],
      REVIEWS,
    );
    assert.equal(vhost(translate(s, proxy()), `${REVIEWS_HOST}:9080`).routes[0]!.name, 'default/older/0');
  });

  it('an exact host beats a wildcard', () => {
    const s = snapshot(
      [
        res('VirtualService', 'default', 'all', {
          hosts: ['*.default.svc.cluster.local'],
          http: [{ directResponse: { status: 418 } }],
        }),
        res('VirtualService', 'default', 'exact', route('v1')),
      ],
      [...REVIEWS, ...RATINGS],
    );
    const cfg = translate(s, proxy());
    assert.equal(vhost(cfg, `${REVIEWS_HOST}:9080`).routes[0]!.name, 'default/exact/0');
    assert.deepEqual(vhost(cfg, 'ratings.default.svc.cluster.local:9080').routes[0]!.action, {
      type: 'direct',
      status: 418,
      body: '',
    });
  });

  it('ignores VirtualServices bound only to gateways', () => {
    const s = snapshot(
      [res('VirtualService', 'default', 'gw', { ...route('v1'), gateways: ['bookinfo-gateway'] })],
      REVIEWS,
    );
    assert.equal(vhost(translate(s, proxy()), `${REVIEWS_HOST}:9080`).routes[0]!.name, 'default');
    const mesh = snapshot(
      [res('VirtualService', 'default', 'gw', { ...route('v1'), gateways: ['bookinfo-gateway', 'mesh'] })],
      REVIEWS,
    );
    assert.equal(vhost(translate(mesh, proxy()), `${REVIEWS_HOST}:9080`).routes[0]!.name, 'default/gw/0');
  });

  it('falls back to the default route when no route of the VirtualService applies', () => {
    const vs = {
      hosts: ['reviews'],
      http: [
        {
          match: [{ sourceLabels: { app: 'nobody' } }],
          route: [{ destination: { host: 'reviews', subset: 'v1' } }],
        },
      ],
    };
    const v = vhost(
      translate(snapshot([res('VirtualService', 'default', 'r', vs)], REVIEWS), proxy()),
      `${REVIEWS_HOST}:9080`,
    );
    assert.deepEqual(
      v.routes.map((r) => r.name),
      ['default'],
    );
  });

  it('routes hosts that only a VirtualService names, on port 80', () => {
    const vs = { hosts: ['legacy.example.com'], http: [{ route: [{ destination: { host: 'reviews' } }] }] };
    const cfg = translate(snapshot([res('VirtualService', 'default', 'legacy', vs)], REVIEWS), proxy());
    const v = vhost(cfg, 'legacy.example.com:80');
    assert.deepEqual(v.domains, ['legacy.example.com']);
    assert.deepEqual(forward(v.routes[0]).destinations, [
      { cluster: `outbound|9080||${REVIEWS_HOST}`, weight: 100 },
    ]);
  });
});

describe('translate: only what concerns the proxy', () => {
  it('builds clusters only for destinations some route uses', () => {
    const vs = {
      hosts: ['reviews'],
      http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }],
    };
    const s = snapshot(
      [res('VirtualService', 'default', 'r', vs), res('DestinationRule', 'default', 'r', REVIEWS_SUBSETS)],
      REVIEWS,
    );
    const names = translate(s, proxy()).outbound.clusters.map((c) => c.name);
    assert.deepEqual(names, [`outbound|9080|v2|${REVIEWS_HOST}`]);
  });

  it('is deterministic and carries the snapshot version', () => {
    const s = snapshot(
      [res('DestinationRule', 'default', 'r', REVIEWS_SUBSETS)],
      [...REVIEWS, ...RATINGS],
      '42',
    );
    const a = translate(s, proxy());
    const b = translate(
      {
        ...s,
        resources: [...s.resources].reverse(),
        registry: { ...s.registry, endpoints: [...s.registry.endpoints].reverse() },
      },
      proxy(),
    );
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    assert.equal(a.version, '42');
  });

  it('forwards inbound traffic to the app port on localhost', () => {
    const cfg = translate(snapshot([], REVIEWS), proxy({ appPort: 19080 }));
    assert.equal(cfg.inbound.appHost, '127.0.0.1');
    assert.equal(cfg.inbound.appPort, 19080);
    assert.equal(translate(snapshot([], REVIEWS), proxy()).inbound.appPort, 9080);
  });

  it('copies telemetry settings', () => {
    const cfg = translate(snapshot([]), proxy());
    assert.deepEqual(cfg.telemetry, { accessLog: true, tracing: { samplingPercent: 1 } });
  });
});
