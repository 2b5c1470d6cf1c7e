import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ForwardAction } from '../config/compile';
import { pickDestination } from './split';
import { compiled, testCluster, testConfig } from './testing';

test('weighted pick follows the weights exactly over the random range', () => {
  const cfg = compiled(
    testConfig(
      [
        {
          name: 'r',
          matches: [],
          action: {
            type: 'forward',
            destinations: [
              { cluster: 'a', weight: 90 },
              { cluster: 'b', weight: 10 },
            ],
          },
        },
      ],
      [testCluster('a', [1]), testCluster('b', [2])],
    ),
  );
  const action = [...cfg.hosts.values()][0]!.routes[0]!.action as ForwardAction;
  const counts = { a: 0, b: 0 };
  for (let i = 0; i < 1000; i++) counts[pickDestination(action, () => i / 1000).cluster.name as 'a' | 'b']++;
  assert.deepEqual(counts, { a: 900, b: 100 });
});
