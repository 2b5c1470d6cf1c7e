import assert from 'node:assert/strict';
import { test } from 'node:test';
import { effectiveMode, namespaceWide, plaintextClients, policyRefs } from './mtls';
import type { PeerAuthenticationObject, SecurityGraph } from './schemas';

const pa = (
  namespace: string,
  name: string,
  mode: string | undefined,
  extra: { selector?: Record<string, string>; created?: string } = {},
): PeerAuthenticationObject => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: {
    name,
    namespace,
    resourceVersion: '5',
    creationTimestamp: extra.created ?? '2026-01-01T00:00:00Z',
  },
  spec: {
    ...(extra.selector ? { selector: { matchLabels: extra.selector } } : {}),
    ...(mode ? { mtls: { mode } } : {}),
  },
});

test('effective mode: the namespace policy, else the mesh-wide one, else PERMISSIVE; UNSET inherits', () => {
  assert.deepEqual(effectiveMode(null, null), { mode: 'PERMISSIVE', source: 'default' });
  assert.deepEqual(effectiveMode(null, pa('istio-system', 'default', 'STRICT')), {
    mode: 'STRICT',
    source: 'mesh',
  });
  assert.deepEqual(
    effectiveMode(pa('shop', 'default', 'PERMISSIVE'), pa('istio-system', 'default', 'STRICT')),
    {
      mode: 'PERMISSIVE',
      source: 'namespace',
    },
  );
  assert.deepEqual(effectiveMode(pa('shop', 'default', 'UNSET'), pa('istio-system', 'default', 'STRICT')), {
    mode: 'STRICT',
    source: 'mesh',
  });
  assert.deepEqual(effectiveMode(pa('shop', 'default', undefined), null), {
    mode: 'PERMISSIVE',
    source: 'default',
  });
});

test('the namespace-wide policy has no selector, `default` first, else the oldest', () => {
  const list = [
    pa('shop', 'ratings-only', 'DISABLE', { selector: { app: 'ratings' } }),
    pa('shop', 'newer', 'STRICT', { created: '2026-02-01T00:00:00Z' }),
    pa('shop', 'older', 'PERMISSIVE', { created: '2026-01-01T00:00:00Z' }),
    pa('other', 'default', 'STRICT'),
  ];
  assert.equal(namespaceWide(list, 'shop')?.metadata.name, 'older');
  assert.equal(namespaceWide([...list, pa('shop', 'default', 'STRICT')], 'shop')?.metadata.name, 'default');
  assert.equal(namespaceWide(list, 'nowhere'), null);
  const { refs } = policyRefs(list, 'shop', 'istio-system');
  assert.deepEqual(
    refs.workloadPolicies.map((p) => [p.name, p.mode]),
    [['ratings-only', 'DISABLE']],
  );
  assert.equal(refs.meshPolicy, null);
});

const graph: SecurityGraph = {
  window: { windowSeconds: 60 },
  nodes: [
    { id: 'unknown', kind: 'unknown', namespace: 'unknown' },
    { id: 'workload:tools/curl', kind: 'workload', namespace: 'tools', workload: 'curl' },
    { id: 'workload:shop/productpage-v1', kind: 'workload', namespace: 'shop', workload: 'productpage-v1' },
    { id: 'workload:shop/reviews-v1', kind: 'workload', namespace: 'shop', workload: 'reviews-v1' },
    { id: 'workload:other/api', kind: 'workload', namespace: 'other', workload: 'api' },
  ],
  edges: [
    // All mTLS: not a problem.
    {
      source: 'workload:shop/productpage-v1',
      target: 'workload:shop/reviews-v1',
      destinationService: 'reviews.shop.svc.cluster.local',
      rps: 9,
      mtlsShare: 1,
    },
    // From outside the mesh: plaintext, cannot do mTLS.
    {
      source: 'unknown',
      target: 'workload:shop/productpage-v1',
      destinationService: 'productpage.shop.svc.cluster.local',
      rps: 2,
      mtlsShare: 0,
    },
    // Partly plaintext (e.g. a sidecar that is off for some calls).
    {
      source: 'workload:tools/curl',
      target: 'workload:shop/reviews-v1',
      destinationService: 'reviews.shop.svc.cluster.local',
      rps: 4,
      mtlsShare: 0.75,
    },
    // Not into this namespace.
    {
      source: 'workload:shop/productpage-v1',
      target: 'workload:other/api',
      destinationService: 'api.other.svc.cluster.local',
      rps: 3,
      mtlsShare: 0,
    },
    // Security not reported: listed, share unknown.
    {
      source: 'workload:tools/curl',
      target: 'workload:shop/productpage-v1',
      destinationService: 'productpage.shop.svc.cluster.local',
      rps: 0.5,
      mtlsShare: null,
    },
    // No traffic in the window.
    {
      source: 'workload:tools/curl',
      target: 'workload:shop/productpage-v1',
      destinationService: 'x.shop.svc.cluster.local',
      rps: 0,
      mtlsShare: 0,
    },
  ],
};

test('the STRICT preview names every source still sending plaintext into the namespace, worst first', () => {
  assert.deepEqual(
    plaintextClients(graph, 'shop').map((c) => [c.source, c.unmeshed, c.target, c.plaintextShare]),
    [
      ['unknown', true, 'productpage-v1', 1],
      ['tools/curl', false, 'reviews-v1', 0.25],
      ['tools/curl', false, 'productpage-v1', null],
    ],
  );
  assert.deepEqual(plaintextClients(graph, 'tools'), [], 'nothing is sent into tools');
  assert.deepEqual(
    plaintextClients(graph, 'other').map((c) => c.source),
    ['shop/productpage-v1'],
  );
});
