/**
 * History and revert against a real `trellis controlplane` process: changes made with kubectl
 * (as different users) are listed newest first with their actors, and a revert puts the stored
 * object back as it was before the change, refusing (409, nothing written) when it changed since.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import type { HistoryList, MeshResource, RevertResult } from '@trellis/shared';
import { assertOk, kubectlFor, startCli, tempDir } from './kubectl-support';

const VS_PATH = '/apis/networking.istio.io/v1/namespaces/default/virtualservices';

function reviewsYaml(v1: number, v2: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
  labels:
    team: bookinfo
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${v1}
    - destination: {host: reviews, subset: v2}
      weight: ${v2}
`;
}

async function setup(t: TestContext) {
  const cp = await startCli(t, tempDir(t));
  const kubectl = kubectlFor(t, cp.url);
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(cp.url + path, init);
    return { status: res.status, json: (await res.json()) as T, headers: res.headers };
  };
  const apply = async (yaml: string, user: string) =>
    assertOk(await kubectl.withInput(yaml, 'apply', '--as', user, '-f', '-'), `kubectl apply as ${user}`);
  const stored = async () => call<MeshResource & { code?: number }>('GET', `${VS_PATH}/reviews`);
  const history = async (query = 'kind=vs&namespace=default&name=reviews') =>
    (await call<HistoryList>('GET', `/api/v1/mesh/history?${query}`)).json;
  return { cp, kubectl, call, apply, stored, history };
}

const weightsOf = (r: MeshResource) =>
  (r.spec as { http: { route: { weight: number }[] }[] }).http[0]?.route.map((x) => x.weight);

test('history lists kubectl changes newest first with actors; revert restores the original object', async (t) => {
  const { call, apply, stored, history } = await setup(t);
  await apply(reviewsYaml(80, 20), 'alice');
  const original = (await stored()).json;
  await apply(reviewsYaml(50, 50), 'bob');
  assert.deepEqual(weightsOf((await stored()).json), [50, 50]);

  const list = await history();
  assert.equal(list.kind, 'HistoryList');
  assert.deepEqual(
    list.items.map((c) => [c.actor, c.verb, c.kind, c.namespace, c.name]),
    [
      ['bob', 'patch', 'VirtualService', 'default', 'reviews'],
      ['alice', 'create', 'VirtualService', 'default', 'reviews'],
    ],
  );
  const [change, create] = list.items;
  assert.ok(change && create);
  assert.ok(Number(change.resourceVersion) > Number(create.resourceVersion), 'newest first');
  assert.equal(create.before, null);
  assert.deepEqual(weightsOf(change.before as MeshResource), [80, 20]);
  assert.deepEqual(weightsOf(change.after as MeshResource), [50, 50]);
  assert.ok(!Number.isNaN(Date.parse(change.time)));

  // A dry run answers what would happen and stores nothing.
  const dry = await call<RevertResult>(
    'POST',
    `/api/v1/mesh/history/${change.resourceVersion}/revert?dryRun=All`,
    undefined,
    { 'impersonate-user': 'carol' },
  );
  assert.equal(dry.status, 200);
  assert.equal(dry.json.dryRun, true);
  assert.deepEqual(weightsOf(dry.json.object), [80, 20]);
  assert.deepEqual(weightsOf((await stored()).json), [50, 50], 'dry run stored nothing');

  const reverted = await call<RevertResult>(
    'POST',
    `/api/v1/mesh/history/${change.resourceVersion}/revert`,
    undefined,
    { 'impersonate-user': 'carol' },
  );
  assert.equal(reverted.status, 200, JSON.stringify(reverted.json));
  assert.equal(reverted.json.action, 'update');
  assert.equal(reverted.json.reverted, change.resourceVersion);
  assert.equal(reverted.json.changed, true);

  const now = (await stored()).json;
  assert.deepEqual(now.spec, original.spec);
  assert.deepEqual(now.metadata.labels, original.metadata.labels);
  assert.deepEqual(now.metadata.annotations, original.metadata.annotations);
  assert.equal(now.metadata.uid, original.metadata.uid, 'the same object, not a new one');
  assert.equal(now.metadata.resourceVersion, reverted.json.resourceVersion);

  const after = await history();
  assert.deepEqual(
    after.items.map((c) => [c.actor, c.verb]),
    [
      ['carol', 'update'],
      ['bob', 'patch'],
      ['alice', 'create'],
    ],
    'the revert is a new change by its actor; the log is never rewritten',
  );
});

test('revert of a delete re-creates the object; revert of a create deletes it', async (t) => {
  const { call, kubectl, apply, stored, history } = await setup(t);
  await apply(reviewsYaml(90, 10), 'alice');
  const original = (await stored()).json;
  assertOk(await kubectl('delete', 'vs', 'reviews', '--as', 'bob'), 'kubectl delete');
  assert.equal((await stored()).status, 404);

  const [deletion, creation] = (await history()).items;
  assert.equal(deletion?.verb, 'delete');
  assert.equal(deletion?.after, null);
  const recreated = await call<RevertResult>(
    'POST',
    `/api/v1/mesh/history/${deletion?.resourceVersion}/revert`,
  );
  assert.equal(recreated.status, 200, JSON.stringify(recreated.json));
  assert.equal(recreated.json.action, 'create');
  const back = await stored();
  assert.equal(back.status, 200);
  assert.deepEqual(back.json.spec, original.spec);
  assert.deepEqual(back.json.metadata.labels, original.metadata.labels);
  const get = await kubectl('get', 'vs', 'reviews', '-o', 'jsonpath={.spec.http[0].route[*].weight}');
  assertOk(get, 'kubectl get');
  assert.equal(get.stdout, '90 10');

  // The first change created it; reverting that is stale now (deleted and re-created since)...
  const stale = await call('POST', `/api/v1/mesh/history/${creation?.resourceVersion}/revert`);
  assert.equal(stale.status, 409);
  assert.equal(stale.json.reason, 'Conflict');
  assert.equal((await stored()).status, 200);
  // ...and with force it deletes the object.
  const forced = await call<RevertResult>(
    'POST',
    `/api/v1/mesh/history/${creation?.resourceVersion}/revert`,
    { force: true },
    { 'impersonate-user': 'dave' },
  );
  assert.equal(forced.status, 200, JSON.stringify(forced.json));
  assert.equal(forced.json.action, 'delete');
  assert.equal((await stored()).status, 404);
  assert.deepEqual(
    (await history()).items.slice(0, 1).map((c) => [c.actor, c.verb]),
    [['dave', 'delete']],
  );
});

test('a stale revert is refused with 409 and changes nothing', async (t) => {
  const { call, apply, stored, history } = await setup(t);
  await apply(reviewsYaml(80, 20), 'alice');
  await apply(reviewsYaml(50, 50), 'bob');
  const bobsChange = (await history()).items[0];
  await apply(reviewsYaml(30, 70), 'erin');
  const before = (await stored()).json;
  const countBefore = (await history()).items.length;

  const res = await call('POST', `/api/v1/mesh/history/${bobsChange?.resourceVersion}/revert`);
  assert.equal(res.status, 409);
  assert.equal(res.json.reason, 'Conflict');
  assert.match(String(res.json.message), /changed after resourceVersion/);
  assert.match(String(res.json.message), /force/);
  const after = (await stored()).json;
  assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.deepEqual(weightsOf(after), [30, 70]);
  assert.equal((await history()).items.length, countBefore, 'no history row for a refused revert');

  const forced = await call<RevertResult>(
    'POST',
    `/api/v1/mesh/history/${bobsChange?.resourceVersion}/revert?force=true`,
  );
  assert.equal(forced.status, 200);
  assert.deepEqual(weightsOf((await stored()).json), [80, 20]);
});

test('history filters and bad requests', async (t) => {
  const { call, apply, history } = await setup(t);
  await apply(reviewsYaml(80, 20), 'alice');
  const dr = await call(
    'POST',
    '/apis/networking.istio.io/v1/namespaces/other/destinationrules',
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews' },
      spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
    },
    { 'x-trellis-user': 'frank' },
  );
  assert.equal(dr.status, 201);
  assert.deepEqual(
    (await history('')).items.map((c) => [c.kind, c.namespace, c.actor]),
    [
      ['DestinationRule', 'other', 'frank'],
      ['VirtualService', 'default', 'alice'],
    ],
  );
  assert.deepEqual(
    (await history('kind=DestinationRule')).items.map((c) => c.kind),
    ['DestinationRule'],
  );
  assert.deepEqual(
    (await history('kind=virtualservices&namespace=default')).items.map((c) => c.name),
    ['reviews'],
  );
  assert.equal((await history('namespace=nowhere')).items.length, 0);
  assert.equal((await history('limit=1')).items.length, 1);

  assert.equal((await call('GET', '/api/v1/mesh/history?kind=Gateway')).status, 400);
  assert.equal((await call('GET', '/api/v1/mesh/history?limit=0')).status, 400);
  const missing = await call('POST', '/api/v1/mesh/history/999999/revert');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.reason, 'NotFound');
  assert.equal((await call('POST', '/api/v1/mesh/history/abc/revert')).status, 404);
  assert.equal((await call('GET', '/api/v1/mesh/history/1/revert')).status, 405);
});

test('dryRun=All on create and update validates and answers without storing (the studio Check)', async (t) => {
  const { call, stored, history } = await setup(t);
  const object = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews' },
    spec: {
      hosts: ['reviews'],
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 110 },
            { destination: { host: 'reviews', subset: 'v2' }, weight: -10 },
          ],
        },
      ],
    },
  };
  const bad = await call('POST', `${VS_PATH}?dryRun=All`, object);
  assert.equal(bad.status, 422);
  const causes = (bad.json.details as { causes: { field: string }[] }).causes;
  assert.ok(causes.some((c) => c.field === 'spec.http[0].route[1].weight'));

  const good = structuredClone(object);
  good.spec.http[0]!.route[0]!.weight = 90;
  good.spec.http[0]!.route[1]!.weight = 20;
  const created = await call<MeshResource>('POST', `${VS_PATH}?dryRun=All`, good);
  assert.equal(created.status, 201);
  assert.match(created.headers.get('warning') ?? '', /weights sum to 110/);
  assert.equal((await stored()).status, 404, 'a dry-run create stores nothing');

  good.spec.http[0]!.route[1]!.weight = 10;
  assert.equal((await call('POST', VS_PATH, good)).status, 201);
  const live = (await stored()).json;
  const update = {
    ...good,
    metadata: { name: 'reviews', resourceVersion: live.metadata.resourceVersion },
    spec: { ...good.spec, hosts: ['reviews', 'reviews.default.svc.cluster.local'] },
  };
  const dryUpdate = await call<MeshResource>('PUT', `${VS_PATH}/reviews?dryRun=All`, update);
  assert.equal(dryUpdate.status, 200);
  assert.equal((dryUpdate.json.spec as { hosts: string[] }).hosts.length, 2);
  assert.deepEqual((await stored()).json.spec, live.spec, 'a dry-run update stores nothing');
  assert.equal((await history()).items.length, 1);
  const staleDry = await call('PUT', `${VS_PATH}/reviews?dryRun=All`, {
    ...update,
    metadata: { name: 'reviews', resourceVersion: `${live.metadata.resourceVersion}0` },
  });
  assert.equal(staleDry.status, 409, 'a dry run checks the resourceVersion too');
});
