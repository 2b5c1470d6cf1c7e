import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apportion, checkSplit, setWeight } from './weights';

const sum = (w: number[]) => w.reduce((a, b) => a + b, 0);

test('two destinations: the other takes what is left', () => {
  assert.deepEqual(setWeight([50, 50], 0, 70), [70, 30]);
  assert.deepEqual(setWeight([70, 30], 1, 45), [55, 45]);
  assert.deepEqual(setWeight([70, 30], 0, 130), [100, 0], 'clamped to 100');
  assert.deepEqual(setWeight([70, 30], 0, -5), [0, 100], 'clamped to 0');
  assert.deepEqual(setWeight([70, 30], 0, 33.6), [34, 66], 'whole numbers');
  assert.deepEqual(setWeight([70, 30], 0, Number.NaN), [0, 100]);
});

test('several destinations keep their proportions and always sum to 100', () => {
  assert.deepEqual(setWeight([50, 30, 20], 0, 60), [60, 24, 16]);
  assert.deepEqual(setWeight([100, 0, 0], 0, 40), [40, 30, 30], 'others at 0 share equally');
  for (let v = 0; v <= 100; v += 7) {
    const w = setWeight([34, 33, 33], 2, v);
    assert.equal(sum(w), 100, `${v}: ${w}`);
    assert.equal(w[2], v);
  }
  assert.deepEqual(apportion([1, 1, 1], 100), [34, 33, 33]);
  assert.deepEqual(apportion([], 100), []);
});

test('the console writes only whole weights summing to 100; negatives are the control plane’s to refuse', () => {
  assert.deepEqual(checkSplit([70, 30]), { ok: true });
  assert.deepEqual(checkSplit([60, 30]), { ok: false, problem: 'weights sum to 90, not 100' });
  assert.equal(checkSplit([70.5, 29.5]).ok, false);
  assert.equal(checkSplit([100]).ok, false);
  assert.deepEqual(checkSplit([-10, 110]), { ok: true });
});
