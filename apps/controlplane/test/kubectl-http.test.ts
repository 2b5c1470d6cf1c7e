/**
 * The wire shapes kubectl and client libraries depend on, checked over HTTP: discovery, the
 * OpenAPI v3 documents (fieldValidation declared, no strategic merge patch), Status bodies for
 * 400/404/409/422, warnings headers, Table and metadata-only lists, dry run, YAML bodies.
 */
import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { silentLogger, startControlPlane } from '../src/server';
import { tempDir } from './kubectl-support';

async function start(t: TestContext) {
  const cp = await startControlPlane({ dataDir: tempDir(t), port: 0, log: silentLogger });
  t.after(() => cp.stop());
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(cp.url + path, init);
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = { text };
    }
    return { status: res.status, json, headers: res.headers };
  };
  return { cp, call };
}

const VS = '/apis/networking.istio.io/v1/namespaces/default/virtualservices';
const reviews = (weights = [80, 20]) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews' },
  spec: {
    hosts: ['reviews'],
    http: [
      {
        route: weights.map((weight, i) => ({
          destination: { host: 'reviews', subset: `v${i + 1}` },
          weight,
        })),
      },
    ],
  },
});

test('discovery: groups, versions, short names, aggregated discovery', async (t) => {
  const { call } = await start(t);
  const version = await call('GET', '/version');
  assert.equal(version.json.major, '1');
  const apis = await call('GET', '/apis');
  const groups = apis.json.groups as { name: string; preferredVersion: { version: string } }[];
  assert.deepEqual(
    groups.map((g) => [g.name, g.preferredVersion.version]),
    [
      ['networking.istio.io', 'v1'],
      ['security.istio.io', 'v1'],
    ],
  );
  for (const [gv, plural, short] of [
    ['networking.istio.io/v1alpha3', 'virtualservices', 'vs'],
    ['networking.istio.io/v1beta1', 'destinationrules', 'dr'],
    ['security.istio.io/v1beta1', 'peerauthentications', 'pa'],
    ['security.istio.io/v1', 'authorizationpolicies', 'ap'],
  ] as const) {
    const list = await call('GET', `/apis/${gv}`);
    const r = (
      list.json.resources as { name: string; shortNames: string[]; namespaced: boolean; verbs: string[] }[]
    ).find((x) => x.name === plural);
    assert.deepEqual(r?.shortNames, [short], gv);
    assert.equal(r?.namespaced, true);
    assert.ok(r?.verbs.includes('watch') && r.verbs.includes('patch'));
  }
  const aggregated = await call('GET', '/apis', undefined, {
    accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
  });
  assert.equal(aggregated.json.kind, 'APIGroupDiscoveryList');
  assert.match(aggregated.headers.get('content-type') ?? '', /as=APIGroupDiscoveryList/);
  assert.equal((await call('GET', '/apis/networking.istio.io/v2')).status, 404);
});

test('OpenAPI v3: one document per group version, fieldValidation declared, merge patch but no strategic merge patch', async (t) => {
  const { call } = await start(t);
  const index = await call('GET', '/openapi/v3');
  const paths = index.json.paths as Record<string, { serverRelativeURL: string }>;
  const url = paths['apis/networking.istio.io/v1']?.serverRelativeURL ?? '';
  assert.match(url, /^\/openapi\/v3\/apis\/networking.istio.io\/v1\?hash=/);
  const doc = await call('GET', url);
  assert.equal(doc.json.openapi, '3.0.0');
  const docPaths = doc.json.paths as Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: { content: Record<string, unknown> };
        'x-kubernetes-group-version-kind'?: unknown;
      }
    >
  >;
  const item = docPaths['/apis/networking.istio.io/v1/namespaces/{namespace}/virtualservices/{name}'];
  const patch = item?.patch;
  assert.deepEqual(patch?.['x-kubernetes-group-version-kind'], {
    group: 'networking.istio.io',
    version: 'v1',
    kind: 'VirtualService',
  });
  assert.ok(patch?.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.deepEqual(Object.keys(patch?.requestBody?.content ?? {}).sort(), [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
  ]);
  const post = docPaths['/apis/networking.istio.io/v1/namespaces/{namespace}/virtualservices']?.post;
  assert.ok(post?.parameters?.some((p) => p.name === 'fieldValidation'));
  const schemas = (
    doc.json.components as {
      schemas: Record<
        string,
        { properties?: Record<string, unknown>; 'x-kubernetes-group-version-kind'?: unknown }
      >;
    }
  ).schemas;
  const vs = schemas['io.istio.networking.v1.VirtualService'];
  assert.deepEqual(vs?.['x-kubernetes-group-version-kind'], [
    { group: 'networking.istio.io', version: 'v1', kind: 'VirtualService' },
  ]);
  assert.ok(vs?.properties?.spec, 'the spec schema comes from the shared zod schemas');
  assert.equal((await call('GET', '/openapi/v3/apis/nope/v1')).status, 404);
});

test('errors are Kubernetes Status objects: 404, 400, 409, 422, 415, 406', async (t) => {
  const { call } = await start(t);
  const missing = await call('GET', `${VS}/nope`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json, {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message: 'virtualservices.networking.istio.io "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', group: 'networking.istio.io', kind: 'virtualservices' },
    code: 404,
  });

  const elsewhere = await call('POST', VS, {
    ...reviews(),
    metadata: { name: 'reviews', namespace: 'prod' },
  });
  assert.equal(elsewhere.status, 400);
  assert.equal(elsewhere.json.reason, 'BadRequest');
  const wrongVersion = await call('POST', VS, { ...reviews(), apiVersion: 'networking.istio.io/v1beta1' });
  assert.equal(wrongVersion.status, 400);
  assert.equal((await call('POST', VS, '{not json')).status, 400);
  assert.equal((await call('GET', `${VS}?labelSelector=${encodeURIComponent('a b')}`)).status, 400);

  const invalid = await call('POST', VS, reviews([-10, 110]));
  assert.equal(invalid.status, 422);
  assert.equal(invalid.json.reason, 'Invalid');
  const details = invalid.json.details as {
    name: string;
    group: string;
    kind: string;
    causes: { field: string; reason: string }[];
  };
  assert.equal(details.name, 'reviews');
  assert.equal(details.group, 'networking.istio.io');
  assert.equal(details.kind, 'VirtualService');
  assert.ok(
    details.causes.some(
      (c) => c.field === 'spec.http[0].route[0].weight' && c.reason === 'FieldValueInvalid',
    ),
  );
  assert.match(String(invalid.json.message), /^VirtualService.networking.istio.io "reviews" is invalid: /);
  assert.equal((await call('GET', `${VS}/reviews`)).status, 404, 'nothing stored');

  const created = await call('POST', VS, reviews());
  assert.equal(created.status, 201);
  const exists = await call('POST', VS, reviews());
  assert.equal(exists.status, 409);
  assert.equal(exists.json.reason, 'AlreadyExists');

  const smp = await call(
    'PATCH',
    `${VS}/reviews`,
    { metadata: { labels: { a: 'b' } } },
    { 'content-type': 'application/strategic-merge-patch+json' },
  );
  assert.equal(smp.status, 415);
  assert.equal(smp.json.reason, 'UnsupportedMediaType');
  const protobuf = await call('GET', `${VS}/reviews`, undefined, {
    accept: 'application/vnd.kubernetes.protobuf',
  });
  assert.equal(protobuf.status, 406);

  const meta = created.json.metadata as { resourceVersion: string; uid: string };
  const stale = await call('DELETE', `${VS}/reviews`, {
    preconditions: { resourceVersion: String(Number(meta.resourceVersion) - 1) },
  });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.reason, 'Conflict');
  const deleted = await call('DELETE', `${VS}/reviews`, { preconditions: { uid: meta.uid } });
  assert.equal(deleted.status, 200);
  assert.equal((deleted.json.metadata as { name: string }).name, 'reviews');
});

test('writes: warnings headers, dry run, YAML bodies, JSON patch, apiVersion as asked', async (t) => {
  const { call } = await start(t);
  const created = await call('POST', `${VS}?fieldValidation=Warn`, {
    ...reviews(),
    spec: { ...reviews().spec, bogus: true },
  });
  assert.equal(created.status, 201);
  const warnings = created.headers.get('warning') ?? '';
  assert.match(warnings, /299 - "unknown field \\"spec.bogus\\""/);
  assert.match(warnings, /299 - "\[IST0101\] spec.http\[0\].route\[0\].destination.host: /);

  const dry = await call('POST', `${VS}?dryRun=All`, { ...reviews(), metadata: { name: 'dry' } });
  assert.equal(dry.status, 201);
  assert.equal((await call('GET', `${VS}/dry`)).status, 404);

  const yaml = `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
  - route:
    - destination: {host: ratings}
`;
  const fromYaml = await call(
    'POST',
    '/apis/networking.istio.io/v1beta1/namespaces/default/virtualservices',
    yaml,
    { 'content-type': 'application/yaml' },
  );
  assert.equal(fromYaml.status, 201);
  assert.equal(fromYaml.json.apiVersion, 'networking.istio.io/v1beta1', 'answered at the version asked');
  const asV1 = await call('GET', `${VS}/ratings`);
  assert.equal(asV1.json.apiVersion, 'networking.istio.io/v1');

  const patched = await call(
    'PATCH',
    `${VS}/reviews`,
    [
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 60 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 40 },
    ],
    { 'content-type': 'application/json-patch+json' },
  );
  assert.equal(patched.status, 200);
  assert.deepEqual(
    (patched.json.spec as { http: { route: { weight: number }[] }[] }).http[0]?.route.map((r) => r.weight),
    [60, 40],
  );

  const table = await call('GET', '/apis/networking.istio.io/v1/virtualservices', undefined, {
    accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  });
  assert.equal(table.json.kind, 'Table');
  assert.deepEqual(
    (table.json.rows as { cells: unknown[] }[]).map((r) => r.cells.slice(0, 3)),
    [
      ['ratings', null, '["ratings"]'],
      ['reviews', null, '["reviews"]'],
    ],
  );
  const page = await call('GET', `${VS}?limit=1`);
  const pageMeta = page.json.metadata as { continue: string; remainingItemCount: number };
  assert.equal((page.json.items as unknown[]).length, 1);
  assert.equal(pageMeta.remainingItemCount, 1);
  const rest = await call('GET', `${VS}?limit=1&continue=${pageMeta.continue}`);
  assert.deepEqual(
    (rest.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name),
    ['reviews'],
  );
  const namespaces = await call('GET', '/api/v1/namespaces');
  assert.deepEqual(
    (namespaces.json.items as { metadata: { name: string } }[]).map((n) => n.metadata.name),
    ['default', 'istio-system'],
  );
});
