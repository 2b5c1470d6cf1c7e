import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonPatch, mergePatch } from './patch';

test('merge patch (RFC 7386 appendix A cases)', () => {
  assert.deepEqual(mergePatch({ a: 'b' }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(mergePatch({ a: 'b' }, { b: 'c' }), { a: 'b', b: 'c' });
  assert.deepEqual(mergePatch({ a: 'b' }, { a: null }), {});
  assert.deepEqual(mergePatch({ a: 'b', b: 'c' }, { a: null }), { b: 'c' });
  assert.deepEqual(mergePatch({ a: ['b'] }, { a: 'c' }), { a: 'c' });
  assert.deepEqual(mergePatch({ a: 'c' }, { a: ['b'] }), { a: ['b'] });
  assert.deepEqual(mergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } }), { a: { b: 'd' } });
  assert.deepEqual(mergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
  assert.deepEqual(mergePatch(['a', 'b'], ['c', 'd']), ['c', 'd']);
  assert.deepEqual(mergePatch({ a: 'b' }, ['c']), ['c']);
  assert.deepEqual(mergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
  assert.deepEqual(mergePatch([1, 2], { a: 'b', c: null }), { a: 'b' });
  assert.deepEqual(mergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
});

test('JSON patch operations (RFC 6902)', () => {
  const doc = { spec: { hosts: ['a'], http: [{ route: [{ weight: 80 }, { weight: 20 }] }] } };
  const r = jsonPatch(doc, [
    { op: 'add', path: '/spec/hosts/-', value: 'b' },
    { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
    { op: 'test', path: '/spec/http/0/route/1/weight', value: 20 },
    { op: 'copy', from: '/spec/hosts/0', path: '/spec/gateway' },
    { op: 'move', from: '/spec/gateway', path: '/spec/moved' },
    { op: 'remove', path: '/spec/hosts/0' },
    { op: 'add', path: '/spec/a~1b', value: 1 },
  ]);
  assert.deepEqual(r, {
    ok: true,
    value: {
      spec: { hosts: ['b'], http: [{ route: [{ weight: 50 }, { weight: 20 }] }], moved: 'a', 'a/b': 1 },
    },
  });
  assert.deepEqual(doc.spec.hosts, ['a'], 'the input is not modified');
  const failed = jsonPatch(doc, [{ op: 'test', path: '/spec/hosts/0', value: 'z' }]);
  assert.equal(failed.ok, false);
  assert.equal(jsonPatch(doc, [{ op: 'remove', path: '/spec/nope' }]).ok, false);
  assert.equal(jsonPatch(doc, [{ op: 'replace', path: '/spec/hosts/3', value: 'x' }]).ok, false);
  assert.equal(jsonPatch(doc, { op: 'add' }).ok, false);
  assert.deepEqual(jsonPatch(doc, [{ op: 'replace', path: '', value: { x: 1 } }]), {
    ok: true,
    value: { x: 1 },
  });
});
