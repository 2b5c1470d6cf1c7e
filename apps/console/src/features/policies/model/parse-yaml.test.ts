import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldLine, parsePolicyYaml, splitFieldPath } from './parse-yaml';

const REVIEWS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: {host: reviews, subset: v1}
          weight: 90
        - destination:
            host: reviews
            subset: v2
          weight: 20
`;

test('one mesh object: its ref, namespace defaulting to "default"', () => {
  const r = parsePolicyYaml(REVIEWS);
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.deepEqual(r.ref, { kind: 'VirtualService', namespace: 'default', name: 'reviews' });
  assert.equal((r.object.spec as { hosts: string[] }).hosts[0], 'reviews');
});

test('YAML syntax errors carry the parser line', () => {
  const r = parsePolicyYaml('kind: VirtualService\nmetadata:\n  name: [reviews\nspec: {}\n');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.ok(r.problems.length >= 1);
  assert.equal(typeof r.problems[0]?.line, 'number');
  assert.ok((r.problems[0]?.line ?? 0) >= 3);
});

test('not a mesh object: unknown kind, missing name, several documents, empty', () => {
  const gw = parsePolicyYaml('apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: x\n');
  assert.equal(gw.ok, false);
  if (!gw.ok) assert.deepEqual([gw.problems[0]?.field, gw.problems[0]?.line], ['kind', 2]);

  const noName = parsePolicyYaml(
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {}\n',
  );
  assert.equal(noName.ok, false);
  if (!noName.ok)
    assert.deepEqual([noName.problems[0]?.field, noName.problems[0]?.line], ['metadata.name', 3]);

  const two = parsePolicyYaml(`${REVIEWS}---\n${REVIEWS}`);
  assert.equal(two.ok, false);
  if (!two.ok) {
    assert.match(two.problems[0]?.message ?? '', /one object at a time/);
    assert.equal(two.problems[0]?.line, 16);
  }
  const wrongGroup = parsePolicyYaml(
    'apiVersion: security.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: x\n',
  );
  assert.equal(wrongGroup.ok, false);
  if (!wrongGroup.ok)
    assert.deepEqual([wrongGroup.problems[0]?.field, wrongGroup.problems[0]?.line], ['apiVersion', 1]);
  assert.equal(parsePolicyYaml('  \n').ok, false);
  assert.equal(parsePolicyYaml('- a\n- b\n').ok, false);
  // A trailing document separator is not a second object.
  assert.equal(parsePolicyYaml(`${REVIEWS}---\n`).ok, true);
});

test('field paths split like Kubernetes writes them', () => {
  assert.deepEqual(splitFieldPath('spec.http[0].route[1].weight'), ['spec', 'http', 0, 'route', 1, 'weight']);
  assert.deepEqual(splitFieldPath('metadata.labels[app.kubernetes.io/name]'), [
    'metadata',
    'labels',
    'app.kubernetes.io/name',
  ]);
  assert.deepEqual(splitFieldPath('spec.http[0].match[0].headers[end-user].regex'), [
    'spec',
    'http',
    0,
    'match',
    0,
    'headers',
    'end-user',
    'regex',
  ]);
});

test('a server cause is placed on its line, or its nearest present ancestor', () => {
  assert.equal(fieldLine(REVIEWS, 'spec.http[0].route[1].weight'), 14);
  assert.equal(fieldLine(REVIEWS, 'spec.http[0].route[0].weight'), 10);
  assert.equal(fieldLine(REVIEWS, 'spec.http[0].route[0].destination.subset'), 9, 'flow mapping on one line');
  assert.equal(fieldLine(REVIEWS, 'spec.http[0].timeout'), 8, 'missing: its parent item');
  assert.equal(fieldLine(REVIEWS, 'spec.hosts[0]'), 6);
  assert.equal(fieldLine('a: [', 'a'), null);
});
