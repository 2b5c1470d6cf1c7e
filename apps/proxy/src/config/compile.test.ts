import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClusterStates } from '../cluster/state';
import { testCluster, testConfig } from '../layers/testing';
import { compileConfig, hostForms } from './compile';

const fwd = (cluster: string) => ({ type: 'forward' as const, destinations: [{ cluster, weight: 100 }] });

test('references to unknown clusters and bad regexes are typed errors with paths', () => {
  const states = new ClusterStates();
  const r = compileConfig(testConfig([{ name: 'r', matches: [], action: fwd('nope') }], []), {
    states,
    namespace: 'default',
  });
  assert.deepEqual(!r.ok && r.error, {
    kind: 'reference',
    path: 'outbound.virtualHosts[0].routes[0].action.destinations[0].cluster',
    message: 'unknown cluster "nope"',
  });
  const bad = compileConfig(
    testConfig(
      [
        {
          name: 'r',
          matches: [{ headers: [{ name: 'x', match: { regex: '(?=lookahead)' } }] }],
          action: fwd('c'),
        },
      ],
      [testCluster('c', [1])],
    ),
    { states, namespace: 'default' },
  );
  assert.equal(!bad.ok && bad.error.kind, 'regex', 'RE2 rejects lookahead, as Istio does');
  assert.equal(
    !bad.ok && bad.error.kind === 'regex' && bad.error.path,
    'outbound.virtualHosts[0].routes[0].matches[0].headers[0].match',
  );
  const dup = compileConfig(testConfig([], [testCluster('c', [1]), testCluster('c', [2])]), {
    states,
    namespace: 'default',
  });
  assert.equal(!dup.ok && dup.error.kind, 'duplicate');
});

test('cluster and endpoint state is shared across compiles by name and address', () => {
  const states = new ClusterStates();
  const a = compileConfig(testConfig([], [testCluster('c', [1, 2])]), { states, namespace: 'default' });
  const b = compileConfig(testConfig([], [testCluster('c', [2, 3])]), { states, namespace: 'default' });
  assert.ok(a.ok && b.ok);
  const ca = a.config.clusters.get('c')!;
  const cb = b.config.clusters.get('c')!;
  assert.equal(ca.state, cb.state);
  assert.equal(ca.endpoints[1]!.state, cb.endpoints[0]!.state, 'endpoint 2 keeps its state');
  assert.deepEqual([...b.live.get('c')!], ['127.0.0.1:2', '127.0.0.1:3']);
});

test('Istio host forms', () => {
  assert.deepEqual(hostForms('reviews.default.svc.cluster.local', 'default'), [
    'reviews.default.svc.cluster.local',
    'reviews.default.svc',
    'reviews.default',
    'reviews',
  ]);
  assert.deepEqual(hostForms('reviews.default.svc.cluster.local', 'prod').length, 3);
  assert.deepEqual(hostForms('api.example.com', 'default'), ['api.example.com']);
});
