import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addVersion, appliedRoutes, changesOf, draftedRows, isDirty, stillAddable, weightsOf } from './draft';
import type { SplitDestination, SplitRoute } from './types';
import { setWeight } from './weights';

const dest = (subset: string, weight: number): SplitDestination => ({
  host: 'reviews',
  subset,
  version: subset,
  weight,
  observedRps: null,
  observedShare: null,
});

// virtual-service-all-v1.yaml's reviews route, with destination-rule-all.yaml's subsets.
const single: SplitRoute = {
  index: 0,
  name: null,
  match: null,
  destinations: [dest('v1', 100)],
  addableSubsets: ['v2', 'v3'],
  addableDestinations: [dest('v2', 0), dest('v3', 0)],
};
const split: SplitRoute = {
  index: 2,
  name: 'split',
  match: null,
  destinations: [dest('v1', 50), dest('v3', 50)],
  addableSubsets: [],
  addableDestinations: [],
};

test('adding a version drafts it at 0 % after the existing rows; the slider then keeps the sum 100', () => {
  const routes = [single, split];
  const start = { weights: weightsOf(routes), added: {} };
  assert.equal(isDirty(routes, start.weights, start.added), false);
  assert.deepEqual(changesOf(routes, start.weights, start.added), [{ index: 2, weights: [50, 50] }]);

  const drafted = addVersion(single, start.weights, start.added, 'v2');
  assert.deepEqual(drafted.weights[0], [100, 0]);
  assert.deepEqual(drafted.added, { 0: ['v2'] });
  assert.deepEqual(
    draftedRows(single, drafted.added[0] ?? []).map((d) => d.subset),
    ['v1', 'v2'],
  );
  assert.deepEqual(stillAddable(single, drafted.added[0] ?? []), ['v3']);
  assert.equal(isDirty(routes, drafted.weights, drafted.added), true, 'an added version at 0 % is a change');
  assert.deepEqual(addVersion(single, drafted.weights, drafted.added, 'v2'), drafted, 'no version twice');
  assert.deepEqual(addVersion(single, drafted.weights, drafted.added, 'v9'), drafted, 'only addable subsets');

  const slid = { ...drafted.weights, 0: setWeight(drafted.weights[0] ?? [], 1, 10) };
  assert.deepEqual(slid[0], [90, 10]);
  assert.deepEqual(changesOf(routes, slid, drafted.added), [
    { index: 0, weights: [90, 10], add: ['v2'] },
    { index: 2, weights: [50, 50] },
  ]);

  const after = appliedRoutes(routes, drafted.added, [
    { index: 0, weights: [90, 10] },
    { index: 2, weights: [50, 50] },
  ]);
  assert.deepEqual(
    after[0]?.destinations.map((d) => [d.subset, d.weight]),
    [
      ['v1', 90],
      ['v2', 10],
    ],
  );
  assert.deepEqual(after[0]?.addableSubsets, ['v3']);
  assert.deepEqual(
    after[0]?.addableDestinations.map((d) => d.subset),
    ['v3'],
  );
  assert.equal(isDirty(after, weightsOf(after), {}), false);
});
