import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MeshResource } from '@trellis/shared';
import { parseFieldSelector, parseLabelSelector, parseSelectors } from './selectors';

const obj = (namespace: string, name: string, labels: Record<string, string>): MeshResource => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { namespace, name, labels },
  spec: {},
});

const matchNames = (label: string, field = '') => {
  const s = parseSelectors(label, field);
  assert.ok(s.ok, s.ok ? '' : s.message);
  return [
    obj('default', 'a', { app: 'reviews', version: 'v1' }),
    obj('default', 'b', { app: 'reviews', version: 'v2', canary: 'true' }),
    obj('prod', 'c', { app: 'ratings' }),
  ]
    .filter(s.match)
    .map((r) => r.metadata.name);
};

test('label selectors: equality, sets, existence', () => {
  assert.deepEqual(matchNames(''), ['a', 'b', 'c']);
  assert.deepEqual(matchNames('app=reviews'), ['a', 'b']);
  assert.deepEqual(matchNames('app==reviews,version!=v1'), ['b']);
  assert.deepEqual(matchNames('version in (v1, v3)'), ['a']);
  assert.deepEqual(matchNames('version notin (v1)'), ['b', 'c']);
  assert.deepEqual(matchNames('canary'), ['b']);
  assert.deepEqual(matchNames('!canary,app'), ['a', 'c']);
  assert.deepEqual(matchNames('app in (reviews,ratings),!version'), ['c']);
});

test('field selectors: metadata.name and metadata.namespace only', () => {
  assert.deepEqual(matchNames('', 'metadata.namespace=default'), ['a', 'b']);
  assert.deepEqual(matchNames('', 'metadata.name==c'), ['c']);
  assert.deepEqual(matchNames('app=reviews', 'metadata.name!=a'), ['b']);
  const bad = parseFieldSelector('spec.hosts=x');
  assert.ok(!bad.ok && /field label not supported: spec.hosts/.test(bad.message));
  assert.equal(parseFieldSelector('metadata.name').ok, false);
});

test('malformed label selectors are refused', () => {
  for (const s of ['in (a)', '=x', 'a b', 'app=rev iews', '!', 'a,,b'])
    assert.equal(parseLabelSelector(s).ok, false, s);
  // "app=" is valid: an empty value.
  assert.equal(parseLabelSelector('app=').ok, true);
});
