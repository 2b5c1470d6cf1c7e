import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admit } from './circuit-breaker';
import { compiled, testCluster, testConfig } from './testing';

test('slots, then a bounded queue, then overflow; a release admits the oldest waiter', () => {
  const c = compiled(
    testConfig(
      [],
      [testCluster('c', [1], { connectionPool: { maxConnections: 2, http1MaxPendingRequests: 1 } })],
    ),
  ).clusters.get('c')!;
  const st = c.state;
  assert.equal(admit(st, c), 'admitted');
  assert.equal(admit(st, c), 'admitted');
  assert.equal(admit(st, c), 'queued');
  const woken: boolean[] = [];
  st.pending.push((ok) => woken.push(ok));
  assert.equal(admit(st, c), 'overflow');
  st.release();
  assert.deepEqual(woken, [true]);
  assert.equal(st.active, 2, 'the waiter holds the freed slot');
  assert.equal(admit(st, c), 'queued');
});

test('no limits configured: always admitted', () => {
  const c = compiled(testConfig([], [testCluster('c', [1])])).clusters.get('c')!;
  for (let i = 0; i < 1000; i++) assert.equal(admit(c.state, c), 'admitted');
});
