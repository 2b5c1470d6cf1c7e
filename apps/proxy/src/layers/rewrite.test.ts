import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompiledMatch } from '../config/compile';
import { rewritePath } from './rewrite';

const m = (uriPrefixLength: number) => ({ uriPrefixLength }) as CompiledMatch;

test('prefix matches rewrite only the prefix; others replace the path and keep the query', () => {
  assert.equal(rewritePath('/api/v1/items?x=1', m(5), '/'), '/v1/items?x=1');
  assert.equal(rewritePath('/old?x=1', m(-1), '/new'), '/new?x=1');
  assert.equal(rewritePath('/old', undefined, '/new'), '/new');
});
