import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MeshResource } from '@trellis/shared';
import { humanDuration, tableOf } from './table';

test('AGE reads like kubectl (k8s.io/apimachinery duration.HumanDuration)', () => {
  const s = 1000;
  const cases: [number, string][] = [
    [0, '0s'],
    [119 * s, '119s'],
    [120 * s, '2m'],
    [(3 * 60 + 20) * s, '3m20s'],
    [45 * 60 * s, '45m'],
    [(5 * 60 + 30) * 60 * s, '5h30m'],
    [30 * 3600 * s, '30h'],
    [(3 * 24 + 4) * 3600 * s, '3d4h'],
    [100 * 24 * 3600 * s, '100d'],
    [(3 * 365 + 10) * 24 * 3600 * s, '3y10d'],
    [10 * 365 * 24 * 3600 * s, '10y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms} ms`);
});

test('VirtualService rows: name, gateways and hosts as JSONPath columns print them, age', () => {
  const vs: MeshResource = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'bookinfo', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { hosts: ['*'], gateways: ['bookinfo-gateway'] },
  };
  const table = tableOf('VirtualService', [vs, { ...vs, spec: { hosts: ['reviews'] } }], {
    version: 'v1',
    includeObject: 'Metadata',
    now: Date.parse('2025-01-01T00:05:00Z'),
  });
  assert.deepEqual(
    table.columnDefinitions.map((c) => c.name),
    ['Name', 'Gateways', 'Hosts', 'Age'],
  );
  assert.deepEqual(
    table.rows.map((r) => r.cells),
    [
      ['bookinfo', '["bookinfo-gateway"]', '["*"]', '5m'],
      ['bookinfo', null, '["reviews"]', '5m'],
    ],
  );
  assert.deepEqual(table.rows[0]?.object, {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: vs.metadata,
  });
});
