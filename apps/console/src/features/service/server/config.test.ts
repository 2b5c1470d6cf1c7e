import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { configFor, hostNamesService } from './config';
import type { MeshObjectWire } from './schemas';

const REVIEWS = 'reviews.default.svc.cluster.local';

const obj = (
  kind: string,
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
  created = '2026-01-01T00:00:00Z',
): MeshObjectWire => ({
  apiVersion: 'networking.istio.io/v1',
  kind,
  metadata: {
    name,
    namespace,
    uid: 'u-1',
    resourceVersion: '42',
    generation: 2,
    creationTimestamp: created,
    labels: { team: 'books' },
  },
  spec,
});

test('hosts resolve in the object namespace, as Istio resolves short names', () => {
  assert.equal(hostNamesService('reviews', 'default', REVIEWS), true);
  assert.equal(hostNamesService('reviews', 'tools', REVIEWS), false, 'short name in another namespace');
  assert.equal(hostNamesService('reviews.default', 'tools', REVIEWS), true);
  assert.equal(hostNamesService(REVIEWS, 'tools', REVIEWS), true);
  assert.equal(hostNamesService('ratings', 'default', REVIEWS), false);
  assert.equal(hostNamesService('*.default.svc.cluster.local', 'tools', REVIEWS), true);
  assert.equal(hostNamesService('*.tools.svc.cluster.local', 'tools', REVIEWS), false);
  assert.equal(hostNamesService('*', 'tools', REVIEWS), true);
});

test('only the VirtualServices naming the service, oldest first, as readable YAML without bookkeeping', () => {
  const found = configFor(
    'VirtualService',
    [
      obj('VirtualService', 'default', 'ratings', { hosts: ['ratings'] }),
      obj(
        'VirtualService',
        'tools',
        'reviews-from-tools',
        { hosts: ['reviews.default.svc.cluster.local', 'other'] },
        '2026-01-02T00:00:00Z',
      ),
      obj('VirtualService', 'default', 'reviews', {
        hosts: ['reviews'],
        http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 100 }] }],
      }),
    ],
    REVIEWS,
  );
  assert.deepEqual(
    found.map((c) => [c.namespace, c.name, c.matchedHosts]),
    [
      ['default', 'reviews', ['reviews']],
      ['tools', 'reviews-from-tools', ['reviews.default.svc.cluster.local']],
    ],
  );
  const yaml = found[0]!.yaml;
  assert.match(yaml, /^apiVersion: networking.istio.io\/v1\nkind: VirtualService\n/);
  assert.doesNotMatch(yaml, /uid|resourceVersion/);
  assert.deepEqual(parse(yaml).spec.http[0].route[0].destination, { host: 'reviews', subset: 'v1' });
  assert.equal(parse(yaml).metadata.generation, 2);
});

test('DestinationRules by host, with where outlier detection is configured', () => {
  const found = configFor(
    'DestinationRule',
    [
      obj('DestinationRule', 'default', 'reviews', {
        host: 'reviews',
        trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3, baseEjectionTime: '30s' } },
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          {
            name: 'v2',
            labels: { version: 'v2' },
            trafficPolicy: { outlierDetection: { consecutive5xxErrors: 1 } },
          },
        ],
      }),
      obj('DestinationRule', 'default', 'details', { host: 'details' }),
    ],
    REVIEWS,
  );
  assert.equal(found.length, 1);
  assert.deepEqual(found[0]!.outlierDetection, [
    { scope: 'trafficPolicy', settings: { consecutive5xxErrors: 3, baseEjectionTime: '30s' } },
    { scope: 'subset v2', settings: { consecutive5xxErrors: 1 } },
  ]);
});
