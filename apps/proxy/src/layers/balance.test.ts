import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickEndpoint } from './balance';
import { compiled, testCluster, testConfig } from './testing';

function clusterOf(lb: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM') {
  return compiled(testConfig([], [testCluster('c', [1, 2, 3], { lb })])).clusters.get('c')!;
}

test('round robin cycles and skips ejected endpoints', () => {
  const c = clusterOf('ROUND_ROBIN');
  const ports = Array.from({ length: 6 }, () => pickEndpoint(c, null)!.state.port);
  assert.deepEqual(ports, [1, 2, 3, 1, 2, 3]);
  c.endpoints[1]!.state.ejected = true;
  assert.deepEqual(
    Array.from({ length: 4 }, () => pickEndpoint(c, null)!.state.port),
    [1, 3, 1, 3],
  );
  for (const e of c.endpoints) e.state.ejected = true;
  assert.equal(pickEndpoint(c, null), null);
});

test('a retry avoids the previous endpoint when another is healthy', () => {
  for (const lb of ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM'] as const) {
    const c = clusterOf(lb);
    const prev = c.endpoints[0]!;
    for (let i = 0; i < 30; i++) assert.notEqual(pickEndpoint(c, prev), prev, lb);
  }
});

test('least request prefers the less loaded of two random choices', () => {
  const c = clusterOf('LEAST_REQUEST');
  c.endpoints[0]!.state.active = 10;
  c.endpoints[1]!.state.active = 0;
  c.endpoints[2]!.state.active = 10;
  const seq = [0, 0]; // i = 0 → endpoint 0; j = 0 → skips i → endpoint 1
  let k = 0;
  assert.equal(pickEndpoint(c, null, () => seq[k++ % 2]!)!.state.port, 2);
  let hits = 0;
  for (let i = 0; i < 300; i++) if (pickEndpoint(c, null)!.state.port === 2) hits++;
  // P2C picks the idle one whenever it is one of the two choices (2/3 of the time).
  assert.ok(hits > 150, `idle endpoint chosen ${hits}/300`);
});
