import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProxyRow, ProxySyncState } from './types';
import {
  filterProxies,
  filtersQuery,
  parseProxyFilters,
  summarise,
  summaryParts,
  summaryText,
} from './view-state';

const params = (q: string) => {
  const p = new URLSearchParams(q);
  return (k: string) => p.get(k);
};

test('filters come from the URL; an unknown state is ignored, case does not matter', () => {
  assert.deepEqual(parseProxyFilters(params('')), { namespace: null, state: null });
  assert.deepEqual(parseProxyFilters(params('namespace=tools&state=nacked')), {
    namespace: 'tools',
    state: 'NACKED',
  });
  assert.deepEqual(parseProxyFilters(params('namespace=&state=broken')), { namespace: null, state: null });
  assert.equal(filtersQuery({ namespace: 'tools', state: 'STALE' }), '?namespace=tools&state=STALE');
  assert.equal(filtersQuery({ namespace: null, state: null }), '');
});

const row = (namespace: string, state: ProxySyncState) => ({ namespace, state }) as ProxyRow;

test('filtering by namespace and state', () => {
  const rows = [row('default', 'SYNCED'), row('default', 'NACKED'), row('tools', 'NACKED')];
  assert.equal(filterProxies(rows, { namespace: null, state: null }).length, 3);
  assert.equal(filterProxies(rows, { namespace: null, state: 'NACKED' }).length, 2);
  assert.deepEqual(filterProxies(rows, { namespace: 'tools', state: 'NACKED' }), [rows[2]]);
  assert.deepEqual(filterProxies(rows, { namespace: 'tools', state: 'SYNCED' }), []);
});

test('the summary line counts each state; zero counts other than synced are left out', () => {
  const states: ProxySyncState[] = ['SYNCED', 'SYNCED', 'SYNCED', 'SYNCED', 'SYNCED', 'NACKED'];
  const s = summarise(states.map((st) => row('default', st)));
  assert.equal(summaryText(s), '6 proxies · 5 synced · 1 NACKed');
  assert.deepEqual(
    summaryParts(s).map((p) => p.state),
    [null, 'SYNCED', 'NACKED'],
  );
  const mixed = summarise([
    row('a', 'STALE'),
    row('a', 'DISCONNECTED'),
    row('a', 'NACKED'),
    row('a', 'UNKNOWN'),
  ]);
  assert.equal(summaryText(mixed), '4 proxies · 0 synced · 1 NACKed · 1 stale · 1 unknown · 1 disconnected');
  assert.equal(summaryText(summarise([row('a', 'SYNCED')])), '1 proxy · 1 synced');
  assert.equal(summaryText(summarise([])), '0 proxies · 0 synced');
});
