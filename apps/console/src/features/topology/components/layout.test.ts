import assert from 'node:assert/strict';
import { test } from 'node:test';
import cytoscape from 'cytoscape';
import { flowConstraints } from './layout';

const graph = (edges: [string, string][], parents: Record<string, string> = {}) => {
  const ids = [...new Set(edges.flat())];
  return cytoscape({
    headless: true,
    elements: [
      ...[...new Set(Object.values(parents))].map((id) => ({ group: 'nodes' as const, data: { id } })),
      ...ids.map((id) => ({
        group: 'nodes' as const,
        data: { id, ...(parents[id] ? { parent: parents[id] } : {}) },
      })),
      ...edges.map(([s, t]) => ({
        group: 'edges' as const,
        data: { id: `${s}->${t}`, source: s, target: t },
      })),
    ],
  });
};

test('callers go left of what they call, ranked from the nodes nobody calls', () => {
  const cy = graph(
    [
      ['unknown', 'pp'],
      ['pp', 'details'],
      ['pp', 'r1'],
      ['pp', 'r2'],
      ['r2', 'ratings'],
    ],
    { r1: 'app:reviews', r2: 'app:reviews' },
  );
  assert.deepEqual(
    flowConstraints(cy).map((c) => `${c.left}<${c.right}`),
    ['unknown<pp', 'pp<details', 'pp<r1', 'pp<r2', 'r2<ratings'],
  );
});

test('a cycle keeps only the forward edges, so fcose gets constraints it can satisfy', () => {
  const cy = graph([
    ['a', 'b'],
    ['b', 'c'],
    ['c', 'a'],
    ['x', 'a'],
    ['b', 'b'],
  ]);
  const pairs = flowConstraints(cy).map((c) => `${c.left}<${c.right}`);
  assert.deepEqual(pairs, ['a<b', 'b<c', 'x<a']);
  // A ring nobody enters from outside has no root: no constraints rather than a contradiction.
  assert.deepEqual(
    flowConstraints(
      graph([
        ['p', 'q'],
        ['q', 'p'],
      ]),
    ),
    [],
  );
});
