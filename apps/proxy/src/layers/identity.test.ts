import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSource, encodeSource, UNKNOWN_PEER } from './identity';

test('source identity round-trips and garbage reads as unknown', () => {
  const p = {
    workload: 'productpage-v1',
    namespace: 'default',
    principal: 'unknown',
    version: 'v1',
    app: 'product,page',
  };
  assert.deepEqual(decodeSource(encodeSource(p)), p);
  assert.deepEqual(decodeSource('a,b'), UNKNOWN_PEER);
  assert.deepEqual(decodeSource(undefined), UNKNOWN_PEER);
  assert.equal(decodeSource('w,ns,%E0%A4%A,app').version, 'unknown');
});
