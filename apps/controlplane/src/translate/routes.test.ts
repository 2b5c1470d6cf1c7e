import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProxyIdentity, Route, RouteAction } from '@trellis/shared';
import { proxy, REVIEWS, REVIEWS_HOST, REVIEWS_SUBSETS, res, snapshot } from './testing';
import { translate } from './translate';
import { normaliseWeights } from './weights';

type Forward = Extract<RouteAction, { type: 'forward' }>;

/** The routes the proxy gets for reviews:9080 under one VirtualService with these http routes. */
function routesFor(http: unknown[], who: ProxyIdentity = proxy()): Route[] {
  const s = snapshot(
    [
      res('VirtualService', 'default', 'reviews', { hosts: ['reviews'], http }),
      res('DestinationRule', 'default', 'reviews', REVIEWS_SUBSETS),
    ],
    REVIEWS,
  );
  const v = translate(s, who).outbound.virtualHosts.find((h) => h.name === `${REVIEWS_HOST}:9080`);
  assert.ok(v);
  return v.routes;
}

function fwd(http: Record<string, unknown>): Forward {
  const r = routesFor([{ route: [{ destination: { host: 'reviews', subset: 'v1' } }], ...http }])[0];
  assert.ok(r && r.action.type === 'forward');
  return r.action;
}

const dest = (subset: string, weight?: number) => ({
  destination: { host: 'reviews', subset },
  ...(weight === undefined ? {} : { weight }),
});
const cluster = (subset: string) => `outbound|9080|${subset}|${REVIEWS_HOST}`;

describe('weights', () => {
  it('keeps a 90/10 split', () => {
    const a = routesFor([{ route: [dest('v1', 90), dest('v2', 10)] }])[0]!.action as Forward;
    assert.deepEqual(a.destinations, [
      { cluster: cluster('v1'), weight: 90 },
      { cluster: cluster('v2'), weight: 10 },
    ]);
  });

  it('normalises weights that do not sum to 100, keeping proportions', () => {
    const a = routesFor([{ route: [dest('v1', 1), dest('v2', 3)] }])[0]!.action as Forward;
    assert.deepEqual(
      a.destinations.map((d) => d.weight),
      [25, 75],
    );
    assert.deepEqual(normaliseWeights([1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(normaliseWeights([2, 2, 4]), [25, 25, 50]);
  });

  it('gives a single destination without weight all traffic', () => {
    assert.deepEqual(fwd({}).destinations, [{ cluster: cluster('v1'), weight: 100 }]);
  });

  it('drops zero-weight destinations when others carry weight (0/100)', () => {
    const a = routesFor([{ route: [dest('v1', 0), dest('v2', 100)] }])[0]!.action as Forward;
    assert.deepEqual(a.destinations, [{ cluster: cluster('v2'), weight: 100 }]);
  });

  it('splits evenly when every weight is zero', () => {
    assert.deepEqual(normaliseWeights([0, 0]), [50, 50]);
  });

  it('puts per-destination headers on the weighted cluster', () => {
    const a = routesFor([
      { route: [{ ...dest('v1', 50), headers: { request: { set: { 'x-canary': 'no' } } } }, dest('v2', 50)] },
    ])[0]!.action as Forward;
    assert.deepEqual(a.destinations[0]!.headers, { request: { set: { 'x-canary': 'no' } } });
    assert.equal(a.destinations[1]!.headers, undefined);
  });
});

describe('matches', () => {
  it('translates uri, method, headers, withoutHeaders and query parameters', () => {
    const [r] = routesFor([
      {
        match: [
          {
            uri: { prefix: '/api/' },
            method: { exact: 'GET' },
            headers: { 'End-User': { exact: 'jason' }, 'x-any': { regex: '*' } },
            withoutHeaders: { 'x-skip': {} },
            queryParams: { debug: { exact: '1' } },
            ignoreUriCase: true,
          },
        ],
        route: [dest('v2')],
      },
    ]);
    assert.deepEqual(r!.matches, [
      {
        uri: { prefix: '/api/' },
        method: { exact: 'GET' },
        headers: [
          { name: 'end-user', match: { exact: 'jason' } },
          { name: 'x-any', match: { regex: '.*' } },
          { name: 'x-skip', match: { regex: '.*' }, invert: true },
        ],
        queryParams: [{ name: 'debug', match: { exact: '1' } }],
        ignoreUriCase: true,
      },
    ]);
  });

  it('keeps routes in order, the catch-all last', () => {
    const routes = routesFor([
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [dest('v2')] },
      { route: [dest('v1')] },
    ]);
    assert.deepEqual(
      routes.map((r) => r.name),
      ['default/reviews/0', 'default/reviews/1'],
    );
    assert.deepEqual(routes[1]!.matches, []);
  });

  it('uses the http route name when given', () => {
    assert.equal(routesFor([{ name: 'canary', route: [dest('v1')] }])[0]!.name, 'default/reviews/canary');
  });

  it('drops routes whose sourceLabels do not select this proxy', () => {
    const http = [
      { match: [{ sourceLabels: { app: 'productpage', version: 'v2' } }], route: [dest('v2')] },
      { route: [dest('v1')] },
    ];
    assert.deepEqual(
      routesFor(http).map((r) => r.name),
      ['default/reviews/1'],
    );
    const v2 = proxy({ labels: { app: 'productpage', version: 'v2' } });
    assert.deepEqual(
      routesFor(http, v2).map((r) => r.name),
      ['default/reviews/0', 'default/reviews/1'],
    );
    // The source condition is resolved here, so the proxy sees an unconditional match.
    assert.deepEqual(routesFor(http, v2)[0]!.matches, [{}]);
  });

  it('keeps only the matches of a route that apply to this proxy', () => {
    const [r] = routesFor([
      {
        match: [
          { sourceLabels: { app: 'other' }, uri: { prefix: '/a' } },
          { sourceLabels: { app: 'productpage' }, uri: { prefix: '/b' } },
        ],
        route: [dest('v2')],
      },
    ]);
    assert.deepEqual(r!.matches, [{ uri: { prefix: '/b' } }]);
  });

  it('evaluates sourceNamespace against the proxy namespace', () => {
    const http = [{ match: [{ sourceNamespace: 'shop' }], route: [dest('v2')] }, { route: [dest('v1')] }];
    assert.deepEqual(
      routesFor(http).map((r) => r.name),
      ['default/reviews/1'],
    );
    assert.deepEqual(
      routesFor(http, proxy({ namespace: 'shop' })).map((r) => r.name),
      ['default/reviews/0', 'default/reviews/1'],
    );
  });

  it('drops matches for another port and gateway-only matches', () => {
    const http = [
      { match: [{ port: 8080 }], route: [dest('v2')] },
      { match: [{ gateways: ['gw'] }], route: [dest('v3')] },
      { match: [{ port: 9080 }], route: [dest('v1')] },
    ];
    assert.deepEqual(
      routesFor(http).map((r) => r.name),
      ['default/reviews/2'],
    );
  });

  it('matches authority and scheme as pseudo-headers', () => {
    const [r] = routesFor([
      { match: [{ authority: { prefix: 'reviews' }, scheme: { exact: 'http' } }], route: [dest('v1')] },
    ]);
    assert.deepEqual(r!.matches[0]!.headers, [
      { name: ':authority', match: { prefix: 'reviews' } },
      { name: ':scheme', match: { exact: 'http' } },
    ]);
  });
});

describe('route policies', () => {
  it('disables retries with attempts 0 and keeps defaults otherwise', () => {
    assert.equal(fwd({ retries: { attempts: 0 } }).retry, undefined);
    assert.equal(fwd({ retries: {} }).retry, undefined);
    assert.equal(fwd({}).retry?.attempts, 2);
  });

  it('overrides the default retry policy field by field', () => {
    assert.deepEqual(fwd({ retries: { attempts: 3, perTryTimeout: '2s' } }).retry, {
      attempts: 3,
      perTryTimeoutMs: 2000,
      retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'],
      retriableStatusCodes: [503],
    });
    assert.deepEqual(
      fwd({ retries: { attempts: 1, retryOn: 'gateway-error,connect-failure,503,504' } }).retry,
      {
        attempts: 1,
        retryOn: ['gateway-error', 'connect-failure', 'retriable-status-codes'],
        retriableStatusCodes: [503, 504],
      },
    );
  });

  it('has no timeout unless set; 0s means none', () => {
    assert.equal(fwd({}).timeoutMs, undefined);
    assert.equal(fwd({ timeout: '0s' }).timeoutMs, undefined);
    assert.equal(fwd({ timeout: '1.5s' }).timeoutMs, 1500);
    assert.equal(fwd({ timeout: '250ms' }).timeoutMs, 250);
  });

  it('translates fault delay and abort with their percentages', () => {
    assert.deepEqual(
      fwd({
        fault: {
          delay: { fixedDelay: '7s', percentage: { value: 100 } },
          abort: { httpStatus: 500, percentage: { value: 12.5 } },
        },
      }).fault,
      { delay: { fixedDelayMs: 7000, percent: 100 }, abort: { httpStatus: 500, percent: 12.5 } },
    );
    assert.deepEqual(
      fwd({ fault: { abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 5 } } } }).fault,
      {
        abort: { grpcStatus: 14, percent: 5 },
      },
    );
    // Istio: without a percentage no request is delayed (the deprecated integer `percent` still counts).
    assert.deepEqual(fwd({ fault: { delay: { fixedDelay: '1s' } } }).fault, {
      delay: { fixedDelayMs: 1000, percent: 0 },
    });
    assert.deepEqual(fwd({ fault: { delay: { fixedDelay: '1s', percent: 30 } } }).fault, {
      delay: { fixedDelayMs: 1000, percent: 30 },
    });
  });

  it('mirrors 100% by default, a given percentage otherwise, and builds the mirror cluster', () => {
    assert.deepEqual(fwd({ mirror: { host: 'reviews', subset: 'v3' } }).mirror, {
      cluster: cluster('v3'),
      percent: 100,
    });
    assert.deepEqual(
      fwd({ mirror: { host: 'reviews', subset: 'v3' }, mirrorPercentage: { value: 25 } }).mirror,
      {
        cluster: cluster('v3'),
        percent: 25,
      },
    );
    assert.equal(
      fwd({ mirror: { host: 'reviews', subset: 'v3' }, mirrorPercentage: { value: 0 } }).mirror,
      undefined,
    );
    const s = snapshot(
      [
        res('VirtualService', 'default', 'r', {
          hosts: ['reviews'],
          http: [{ route: [dest('v1')], mirror: { host: 'reviews', subset: 'v3' } }],
        }),
        res('DestinationRule', 'default', 'r', REVIEWS_SUBSETS),
      ],
      REVIEWS,
    );
    const names = translate(s, proxy()).outbound.clusters.map((c) => c.name);
    assert.deepEqual(names, [cluster('v1'), cluster('v3')]);
  });

  it('passes rewrite and header operations through', () => {
    const a = fwd({
      rewrite: { uri: '/v2/', authority: 'reviews.internal' },
      headers: { request: { set: { 'x-a': '1' }, remove: ['x-b'] }, response: { add: { 'x-c': '2' } } },
    });
    assert.deepEqual(a.rewrite, { uri: '/v2/', authority: 'reviews.internal' });
    assert.deepEqual(a.headers, {
      request: { set: { 'x-a': '1' }, remove: ['x-b'] },
      response: { add: { 'x-c': '2' } },
    });
  });

  it('answers directResponse routes itself', () => {
    const [r] = routesFor([{ directResponse: { status: 503, body: { string: 'down for maintenance' } } }]);
    assert.deepEqual(r!.action, { type: 'direct', status: 503, body: 'down for maintenance' });
    const [b] = routesFor([
      { directResponse: { status: 200, body: { bytes: Buffer.from('hi').toString('base64') } } },
    ]);
    assert.deepEqual(b!.action, { type: 'direct', status: 200, body: 'hi' });
  });

  it('routes an explicit destination port to that port', () => {
    const a = fwd({ route: [{ destination: { host: 'reviews', port: { number: 9091 } } }] });
    assert.deepEqual(a.destinations, [{ cluster: `outbound|9091||${REVIEWS_HOST}`, weight: 100 }]);
  });
});
