import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanaryGraph, DestinationRuleObject, VirtualServiceObject } from './schemas';
import {
  candidatesOf,
  fqdnOf,
  matchSummary,
  observedRps,
  routesService,
  splitViewOf,
  withWeights,
} from './split-view';

const REVIEWS = 'reviews.default.svc.cluster.local';

const vs = (http: VirtualServiceObject['spec']['http'], hosts = ['reviews']): VirtualServiceObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default', resourceVersion: '12', uid: 'u-1' },
  spec: { hosts, http },
});

const dr: DestinationRuleObject = {
  metadata: { name: 'reviews', namespace: 'default', resourceVersion: '3' },
  spec: {
    host: 'reviews',
    subsets: [
      { name: 'stable', labels: { version: 'v1' } },
      { name: 'canary', labels: { version: 'v3' } },
    ],
  },
};

const node = (workload: string, version: string) => ({
  id: `workload:default/${workload}`,
  kind: 'workload' as const,
  namespace: 'default',
  workload,
  app: 'reviews',
  version,
  services: [REVIEWS],
  inbound: { rps: 0 },
});

const graph: CanaryGraph = {
  window: { windowSeconds: 60 },
  nodes: [node('reviews-v1', 'v1'), node('reviews-v3', 'v3'), node('reviews-v2', 'v2')],
  edges: [
    {
      source: 'workload:default/productpage-v1',
      target: 'workload:default/reviews-v1',
      destinationService: REVIEWS,
      rps: 6,
    },
    { source: 'unknown', target: 'workload:default/reviews-v1', destinationService: REVIEWS, rps: 1 },
    {
      source: 'workload:default/productpage-v1',
      target: 'workload:default/reviews-v3',
      destinationService: REVIEWS,
      rps: 3,
    },
    // Addressed to another service: not reviews traffic even though it lands on a reviews pod.
    {
      source: 'workload:default/x',
      target: 'workload:default/reviews-v3',
      destinationService: 'other.default.svc.cluster.local',
      rps: 50,
    },
  ],
};

test('hosts are read as Istio reads them, relative to the object’s namespace', () => {
  assert.equal(fqdnOf('reviews', 'default'), REVIEWS);
  assert.equal(fqdnOf('reviews.default', 'other'), REVIEWS);
  assert.equal(fqdnOf('reviews.default.svc', 'other'), REVIEWS);
  assert.equal(fqdnOf(REVIEWS, 'other'), REVIEWS);
  assert.equal(fqdnOf('reviews', 'prod'), 'reviews.prod.svc.cluster.local');
  assert.equal(fqdnOf('example.com.x.y', 'default'), 'example.com.x.y');
});

test('only split routes are listed, with set weights, subsets mapped to versions, and the observed split', () => {
  const view = splitViewOf(
    vs([
      {
        name: 'jason',
        match: [{ headers: { 'end-user': { exact: 'jason' } } }],
        route: [{ destination: { host: 'reviews', subset: 'canary' } }],
      },
      {
        route: [
          { destination: { host: 'reviews', subset: 'stable' }, weight: 70 },
          { destination: { host: 'reviews', subset: 'canary' }, weight: 30 },
        ],
      },
    ]),
    [dr],
    graph,
  );
  assert.equal(view.resourceVersion, '12');
  assert.equal(view.routes.length, 1);
  const [route] = view.routes;
  assert.equal(route?.index, 1, 'the index in spec.http, not in the list');
  assert.equal(route?.match, null);
  assert.deepEqual(
    route?.destinations.map((d) => [d.subset, d.version, d.weight, d.observedRps]),
    [
      ['stable', 'v1', 70, 7],
      ['canary', 'v3', 30, 3],
    ],
  );
  assert.deepEqual(
    route?.destinations.map((d) => d.observedShare),
    [0.7, 0.3],
  );
});

test('without telemetry the observed split is unknown, not zero; without traffic there is no share', () => {
  const http = [
    {
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
        { destination: { host: 'reviews', subset: 'v2' } },
      ],
    },
  ];
  const blind = splitViewOf(vs(http), [], null).routes[0]!;
  assert.deepEqual(
    blind.destinations.map((d) => [d.version, d.weight, d.observedRps, d.observedShare]),
    [
      ['v1', 50, null, null],
      ['v2', 0, null, null],
    ],
    'no DestinationRule: the subset name is taken as the version; a missing weight is 0',
  );
  const idle = splitViewOf(vs(http), [], { ...graph, edges: [] }).routes[0]!;
  assert.deepEqual(
    idle.destinations.map((d) => [d.observedRps, d.observedShare]),
    [
      [0, null],
      [0, null],
    ],
  );
  assert.equal(observedRps(graph, REVIEWS, null), 10, 'no subset: every version');
});

test('matches are summarised for the route heading', () => {
  assert.equal(
    matchSummary({
      match: [{ uri: { prefix: '/api' }, headers: { 'end-user': { exact: 'jason' } } }, { port: 9080 }],
    }),
    'uri prefix /api and header end-user = jason or port 9080',
  );
  assert.equal(matchSummary({}), null);
});

test('a VirtualService routes a service by its hosts or its destinations; candidates list split services', () => {
  const split = vs([
    {
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
        { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
      ],
    },
  ]);
  assert.equal(routesService(split, REVIEWS), true);
  assert.equal(
    routesService(vs([{ route: [{ destination: { host: 'reviews' } }] }], ['gateway.example.com']), REVIEWS),
    true,
  );
  assert.equal(routesService(split, 'ratings.default.svc.cluster.local'), false);
  assert.deepEqual(candidatesOf([split, vs([{ route: [{ destination: { host: 'reviews' } }] }])]), [
    { namespace: 'default', service: 'reviews', virtualService: 'reviews', splitRoutes: 1 },
  ]);
});

test('new weights keep every other field and carry the loaded resourceVersion; a reshaped route is refused', () => {
  const original = vs([
    {
      name: 'r',
      retries: { attempts: 3 },
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 50, headers: { x: 1 } },
        { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
      ],
    },
  ]);
  const edit = withWeights(original, '9', [{ index: 0, weights: [70, 30] }]);
  assert.ok(edit.ok);
  assert.equal(edit.object.metadata.resourceVersion, '9');
  assert.equal(edit.object.metadata.uid, 'u-1');
  assert.deepEqual(edit.object.spec.http?.[0], {
    name: 'r',
    retries: { attempts: 3 },
    route: [
      { destination: { host: 'reviews', subset: 'v1' }, weight: 70, headers: { x: 1 } },
      { destination: { host: 'reviews', subset: 'v2' }, weight: 30 },
    ],
  });
  assert.equal(original.spec.http?.[0]?.route?.[0]?.weight, 50, 'the input is not mutated');
  const reshaped = withWeights(original, '9', [{ index: 0, weights: [40, 30, 30] }]);
  assert.equal(reshaped.ok, false);
  assert.equal(withWeights(original, '9', [{ index: 4, weights: [50, 50] }]).ok, false);
});
