import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffView } from './diff';

const lines = (n: number, change?: { at: number; to: string }) =>
  `${Array.from({ length: n }, (_, i) => (change && i === change.at ? change.to : `line ${i + 1}`)).join('\n')}\n`;

test('a changed line is one removed and one added row, with old and new line numbers', () => {
  const v = diffView('a\nweight: 80\nc\n', 'a\nweight: 50\nc\n');
  assert.equal(v.identical, false);
  assert.deepEqual([v.added, v.removed], [1, 1]);
  assert.deepEqual(v.rows, [
    { type: 'same', oldLine: 1, newLine: 1, text: 'a' },
    { type: 'removed', oldLine: 2, newLine: null, text: 'weight: 80' },
    { type: 'added', oldLine: null, newLine: 2, text: 'weight: 50' },
    { type: 'same', oldLine: 3, newLine: 3, text: 'c' },
  ]);
});

test('long unchanged runs collapse to context around the change', () => {
  const v = diffView(lines(40), lines(40, { at: 19, to: 'changed' }), 3);
  assert.deepEqual(
    v.rows.map((r) => (r.type === 'skipped' ? `skip ${r.count}` : r.type)),
    ['skip 16', 'same', 'same', 'same', 'removed', 'added', 'same', 'same', 'same', 'skip 17'],
  );
  const firstShown = v.rows[1];
  assert.ok(firstShown && firstShown.type === 'same' && firstShown.oldLine === 17);
});

test('identical texts, and a new object (all added)', () => {
  assert.deepEqual(diffView('a\n', 'a\n'), { rows: [], added: 0, removed: 0, identical: true });
  const created = diffView('', 'a\nb\n');
  assert.deepEqual([created.added, created.removed], [2, 0]);
  assert.deepEqual(
    created.rows.map((r) => (r.type === 'skipped' ? null : r.newLine)),
    [1, 2],
  );
});
