import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CanaryGraph, DestinationRuleObject, VirtualServiceObject } from './schemas';
import {
  addableSubsetsOf,
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

test('split routes are listed with set weights, subsets mapped to versions, and the observed split', () => {
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
  assert.deepEqual(
    view.routes.map((r) => [r.index, r.addableSubsets]),
    [
      [0, ['stable']],
      [1, []],
    ],
    'the single-destination route is listed because stable could be added to it',
  );
  const route = view.routes[1];
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
  assert.deepEqual(candidatesOf([split, vs([{ route: [{ destination: { host: 'reviews' } }] }])], []), [
    { namespace: 'default', service: 'reviews', virtualService: 'reviews', splitRoutes: 1, canStart: 0 },
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

// Istio's samples/bookinfo/networking/destination-rule-all.yaml (reviews) and virtual-service-all-v1.yaml.
const drAll: DestinationRuleObject = {
  metadata: { name: 'reviews', namespace: 'default', resourceVersion: '4' },
  spec: {
    host: 'reviews',
    subsets: ['v3', 'v1', 'v2'].map((v) => ({ name: v, labels: { version: v } })),
  },
};
const allV1 = () => vs([{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }]);

test('a single-destination route offers the other subsets of its host’s DestinationRule, sorted', () => {
  const view = splitViewOf(allV1(), [drAll], graph);
  assert.equal(view.routes.length, 1);
  const [route] = view.routes;
  assert.deepEqual(route?.addableSubsets, ['v2', 'v3']);
  assert.deepEqual(
    route?.destinations.map((d) => [d.subset, d.weight]),
    [['v1', 100]],
  );
  assert.deepEqual(
    route?.addableDestinations.map((d) => [
      d.host,
      d.subset,
      d.version,
      d.weight,
      d.observedRps,
      d.observedShare,
    ]),
    [
      ['reviews', 'v2', 'v2', 0, 0, null],
      ['reviews', 'v3', 'v3', 0, 3, null],
    ],
    'a drafted row shows the version’s rate when the graph has a workload of it',
  );
  const noV2 = { ...graph, nodes: graph.nodes.filter((n) => n.version !== 'v2') };
  assert.deepEqual(
    splitViewOf(allV1(), [drAll], noV2).routes[0]?.addableDestinations.map((d) => d.observedRps),
    [null, 3],
    'no workload of v2 in the graph: unknown, not 0',
  );
  assert.deepEqual(
    splitViewOf(allV1(), [drAll], null).routes[0]?.addableDestinations.map((d) => d.observedRps),
    [null, null],
  );
});

test('a single destination with nothing to add stays hidden; mixed hosts and other hosts’ rules add nothing', () => {
  const onlyV1: DestinationRuleObject = {
    ...drAll,
    spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
  };
  assert.equal(splitViewOf(allV1(), [onlyV1], null).routes.length, 0);
  assert.equal(splitViewOf(allV1(), [], null).routes.length, 0, 'no DestinationRule: nothing to add');
  // A rule for reviews in another namespace names another service.
  const elsewhere = { ...drAll, metadata: { ...drAll.metadata, namespace: 'prod' } };
  assert.equal(splitViewOf(allV1(), [elsewhere], null).routes.length, 0);
  // The same host written as an FQDN, and the rule's host as a short name: one host.
  const fq = { ...drAll, spec: { ...drAll.spec, host: 'reviews.default.svc.cluster.local' } };
  assert.deepEqual(
    addableSubsetsOf({ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }, 'default', [fq]),
    ['v2', 'v3'],
  );
  const mixed = {
    route: [
      { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
      { destination: { host: 'ratings', subset: 'v1' }, weight: 50 },
    ],
  };
  assert.deepEqual(addableSubsetsOf(mixed, 'default', [drAll]), [], 'destinations of two hosts: none');
  const split = splitViewOf(vs([mixed]), [drAll], null);
  assert.equal(split.routes.length, 1, 'a split is listed even when nothing can be added');
  assert.deepEqual(split.routes[0]?.addableSubsets, []);
  assert.deepEqual(
    addableSubsetsOf(
      {
        route: [
          { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
          { destination: { host: 'reviews.default.svc.cluster.local', subset: 'v3' }, weight: 10 },
        ],
      },
      'default',
      [drAll],
    ),
    ['v2'],
    'a split of one host (short and long names) can take a third version',
  );
});

test('candidates include services whose route could start a split, with the count of such routes', () => {
  const ratings: VirtualServiceObject = {
    ...vs([{ route: [{ destination: { host: 'ratings', subset: 'v1' } }] }], ['ratings']),
    metadata: { name: 'ratings', namespace: 'default', resourceVersion: '5' },
  };
  assert.deepEqual(candidatesOf([allV1(), ratings], [drAll]), [
    { namespace: 'default', service: 'reviews', virtualService: 'reviews', splitRoutes: 0, canStart: 1 },
  ]);
  assert.deepEqual(candidatesOf([allV1()], []), [], 'without DestinationRules nothing can start');
});

test('adding a subset appends it after the existing destinations with its weight', () => {
  const original = allV1();
  const edit = withWeights(original, '12', [{ index: 0, weights: [90, 10], add: ['v2'] }], [drAll]);
  assert.ok(edit.ok);
  assert.deepEqual(edit.object.spec.http?.[0]?.route, [
    { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
    { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
  ]);
  assert.equal(original.spec.http?.[0]?.route?.length, 1, 'the input is not mutated');
  const two = withWeights(original, '12', [{ index: 0, weights: [80, 0, 20], add: ['v3', 'v2'] }], [drAll]);
  assert.ok(two.ok);
  assert.deepEqual(
    two.object.spec.http?.[0]?.route?.map((d) => [d.destination?.subset, d.weight]),
    [
      ['v1', 80],
      ['v3', 0],
      ['v2', 20],
    ],
    'in the order asked',
  );
});

test('a subset that is not addable is refused with the field path; nothing else is judged a conflict', () => {
  const original = allV1();
  const notDefined = withWeights(original, '12', [{ index: 0, weights: [90, 10], add: ['v9'] }], [drAll]);
  assert.deepEqual(notDefined, {
    ok: false,
    reason: 'not-addable',
    causes: [
      {
        field: 'spec.http[0].route[1].destination.subset',
        message: 'subset v9 is not defined by a DestinationRule for reviews.default.svc.cluster.local',
      },
    ],
  });
  const already = withWeights(original, '12', [{ index: 0, weights: [90, 10], add: ['v1'] }], [drAll]);
  assert.equal(already.ok, false);
  assert.equal(!already.ok && already.reason, 'not-addable');
  const twice = withWeights(
    original,
    '12',
    [{ index: 0, weights: [80, 10, 10], add: ['v2', 'v2'] }],
    [drAll],
  );
  assert.deepEqual(!twice.ok && twice.reason === 'not-addable' && twice.causes.map((c) => c.field), [
    'spec.http[0].route[2].destination.subset',
  ]);
  const noRules = withWeights(original, '12', [{ index: 0, weights: [90, 10], add: ['v2'] }], []);
  assert.equal(!noRules.ok && noRules.reason, 'not-addable');
});

test('adding to a route whose destinations or host changed since the page loaded is a conflict', () => {
  const nowSplit = vs([
    {
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
        { destination: { host: 'reviews', subset: 'v3' }, weight: 50 },
      ],
    },
  ]);
  const more = withWeights(nowSplit, '12', [{ index: 0, weights: [90, 10], add: ['v2'] }], [drAll]);
  assert.equal(more.ok, false);
  assert.equal(!more.ok && more.reason, 'conflict');
  assert.match(
    !more.ok && more.reason === 'conflict' ? more.problem : '',
    /no longer routes to the 1 destination/,
  );
  const twoHosts = vs([
    {
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
        { destination: { host: 'ratings', subset: 'v1' }, weight: 50 },
      ],
    },
  ]);
  const hosts = withWeights(twoHosts, '12', [{ index: 0, weights: [50, 40, 10], add: ['v2'] }], [drAll]);
  assert.equal(!hosts.ok && hosts.reason, 'conflict');
  const gone = withWeights(vs([]), '12', [{ index: 0, weights: [90, 10], add: ['v2'] }], [drAll]);
  assert.equal(!gone.ok && gone.reason, 'conflict');
});
