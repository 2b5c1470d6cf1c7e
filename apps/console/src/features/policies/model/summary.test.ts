import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarize } from './summary';

test('one line per kind', () => {
  assert.equal(
    summarize('VirtualService', {
      hosts: ['reviews'],
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
            { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
          ],
        },
      ],
    }),
    'hosts reviews · v1 90 · v2 10',
  );
  assert.equal(
    summarize('VirtualService', { hosts: ['a', 'b'], http: [{ route: [{ destination: { host: 'a' } }] }] }),
    'hosts a, b',
  );
  assert.equal(
    summarize('DestinationRule', { host: 'reviews', subsets: [{ name: 'v1' }, { name: 'v2' }] }),
    'host reviews · subsets v1, v2',
  );
  assert.equal(summarize('PeerAuthentication', { mtls: { mode: 'STRICT' } }), 'mTLS STRICT · namespace');
  assert.equal(summarize('AuthorizationPolicy', { action: 'DENY', rules: [{}] }), 'DENY · 1 rule');
  assert.equal(summarize('AuthorizationPolicy', null), 'ALLOW · 0 rules');
});
