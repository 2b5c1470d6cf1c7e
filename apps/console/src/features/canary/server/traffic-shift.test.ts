import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProxyStatusWire } from '@/lib/wire/proxy-status';
import type { DestinationRuleObject, VirtualServiceObject } from './schemas';
import { serviceVersionsOf, unroutedServicesOf } from './service-versions';
import { planTrafficShift } from './traffic-shift';

const base = { namespace: 'default', service: 'reviews', rules: [] as DestinationRuleObject[] };

const rule = (
  host: string,
  subsets: { name: string; labels?: Record<string, string> }[],
  namespace = 'default',
): DestinationRuleObject => ({
  metadata: { name: 'reviews-rule', namespace, resourceVersion: '4' },
  spec: { host, subsets },
});

test('no DestinationRule yet: one subset per version (labels version=V) and a VirtualService with the weights', () => {
  const plan = planTrafficShift({ ...base, versions: ['v1', 'v2', 'v3'], weights: [90, 10, 0] });
  assert.deepEqual(plan, {
    ok: true,
    existingRule: null,
    destinationRule: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        host: 'reviews',
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' } },
          { name: 'v3', labels: { version: 'v3' } },
        ],
      },
    },
    virtualService: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        hosts: ['reviews'],
        http: [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
              { destination: { host: 'reviews', subset: 'v3' }, weight: 0 },
            ],
          },
        ],
      },
    },
  });
});

test('an existing DestinationRule for the host (by FQDN, any namespace) lends its subset names; none is created', () => {
  const existing = rule(
    'reviews.default.svc.cluster.local',
    [
      { name: 'stable', labels: { version: 'v1' } },
      { name: 'canary', labels: { version: 'v2', track: 'x' } },
    ],
    'mesh-config',
  );
  const plan = planTrafficShift({ ...base, versions: ['v1', 'v2'], weights: [50, 50], rules: [existing] });
  assert.equal(plan.ok, true);
  if (!plan.ok) return;
  assert.equal(plan.destinationRule, null);
  assert.deepEqual(plan.existingRule, { namespace: 'mesh-config', name: 'reviews-rule' });
  assert.deepEqual((plan.virtualService.spec.http as { route: unknown[] }[])[0]?.route, [
    { destination: { host: 'reviews', subset: 'stable' }, weight: 50 },
    { destination: { host: 'reviews', subset: 'canary' }, weight: 50 },
  ]);
});

test('a rule for another host is not used', () => {
  const ratings = rule('ratings', [{ name: 'v1', labels: { version: 'v1' } }]);
  const plan = planTrafficShift({ ...base, versions: ['v1', 'v2'], weights: [100, 0], rules: [ratings] });
  assert.equal(plan.ok && plan.destinationRule !== null, true);
});

test('an existing rule without a subset for a version is refused, naming the rule and the version', () => {
  const existing = rule('reviews', [{ name: 'v1', labels: { version: 'v1' } }]);
  const plan = planTrafficShift({ ...base, versions: ['v1', 'v3'], weights: [90, 10], rules: [existing] });
  assert.equal(plan.ok, false);
  if (plan.ok) return;
  assert.equal(plan.causes.length, 1);
  assert.equal(plan.causes[0]?.field, 'versions[1]');
  assert.match(
    plan.causes[0]?.message ?? '',
    /DestinationRule default\/reviews-rule .* no subset selecting version=v3/,
  );
});

test('weights must be whole numbers summing to 100, one per version', () => {
  const refused = (versions: string[], weights: number[]) => {
    const plan = planTrafficShift({ ...base, versions, weights });
    return plan.ok ? [] : plan.causes.map((c) => `${c.field}: ${c.message}`);
  };
  assert.deepEqual(refused(['v1', 'v2'], [90, 5]), ['spec.http[0].route: weights sum to 95, not 100']);
  assert.deepEqual(refused(['v1', 'v2'], [90.5, 9.5]), [
    'spec.http[0].route: weight 90.5 is not a whole number',
  ]);
  assert.deepEqual(refused(['v1', 'v2', 'v3'], [90, 10]), ['weights: 2 weights for 3 versions']);
  assert.deepEqual(refused(['v1'], [100]), ['spec.http[0].route: a split needs at least two destinations']);
  assert.deepEqual(refused(['v1', 'v1'], [50, 50]), ['versions[1]: version v1 is listed twice']);
});

test('a version that cannot name a subset is refused when the console would create the rule', () => {
  const plan = planTrafficShift({ ...base, versions: ['v1', 'V2_beta'], weights: [50, 50] });
  assert.equal(plan.ok, false);
  if (plan.ok) return;
  assert.deepEqual(
    plan.causes.map((c) => c.field),
    ['versions[1]'],
  );
});

const proxy = (
  workload: string,
  labels: Record<string, string>,
  services: string[],
  extra: Partial<ProxyStatusWire> = {},
): ProxyStatusWire => ({
  id: `${workload}-1`,
  workload,
  namespace: 'default',
  labels,
  services: services.map((name) => ({ name, port: 9080 })),
  state: 'SYNCED',
  ...extra,
});

test("the service's versions: version labels of connected proxies serving it, sorted by name", () => {
  const proxies = [
    proxy('reviews-v10', { app: 'reviews', version: 'v10' }, ['reviews']),
    proxy('reviews-v2', { app: 'reviews', version: 'v2' }, ['reviews']),
    proxy('reviews-v1', { app: 'reviews', version: 'v1' }, ['reviews']),
    proxy('reviews-v1b', { app: 'reviews', version: 'v1' }, ['reviews'], { id: 'b' }),
    // Gone: not offered.
    proxy('reviews-v3', { app: 'reviews', version: 'v3' }, ['reviews'], { state: 'DISCONNECTED' }),
    // No version label, another service, another namespace.
    proxy('reviews-x', { app: 'reviews' }, ['reviews']),
    proxy('ratings-v1', { app: 'ratings', version: 'v9' }, ['ratings']),
    proxy('reviews-v7', { version: 'v7' }, ['reviews'], { namespace: 'other' }),
  ];
  assert.deepEqual(serviceVersionsOf(proxies, 'default', 'reviews'), [
    { version: 'v1', workloads: ['reviews-v1', 'reviews-v1b'] },
    { version: 'v2', workloads: ['reviews-v2'] },
    { version: 'v10', workloads: ['reviews-v10'] },
  ]);
});

test('the list offers services with two or more versions that no VirtualService routes', () => {
  const proxies = [
    proxy('reviews-v1', { version: 'v1' }, ['reviews']),
    proxy('reviews-v2', { version: 'v2' }, ['reviews']),
    proxy('ratings-v1', { version: 'v1' }, ['ratings']),
    proxy('ratings-v2', { version: 'v2' }, ['ratings']),
    // One version only: nothing to shift between.
    proxy('details-v1', { version: 'v1' }, ['details']),
  ];
  const ratingsVs: VirtualServiceObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'ratings-routes', namespace: 'default', resourceVersion: '2' },
    spec: {
      hosts: ['ratings.default.svc.cluster.local'],
      http: [{ route: [{ destination: { host: 'ratings' } }] }],
    },
  };
  assert.deepEqual(unroutedServicesOf(proxies, [ratingsVs]), [
    { namespace: 'default', service: 'reviews', versions: ['v1', 'v2'] },
  ]);
  assert.deepEqual(
    unroutedServicesOf(proxies, []).map((u) => u.service),
    ['ratings', 'reviews'],
  );
});
