import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { toEditableYaml } from './editable';

test('the editable form drops what the server owns and keeps what a user writes, in the usual order', () => {
  const stored = {
    spec: { mtls: { mode: 'STRICT' } },
    metadata: {
      uid: 'u-1',
      resourceVersion: '12',
      generation: 3,
      creationTimestamp: '2026-01-01T00:00:00Z',
      namespace: 'default',
      name: 'default',
      labels: { team: 'a' },
    },
    kind: 'PeerAuthentication',
    apiVersion: 'security.istio.io/v1',
    status: { conditions: [] },
  };
  const text = toEditableYaml(stored);
  assert.deepEqual(parse(text), {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace: 'default', labels: { team: 'a' } },
    spec: { mtls: { mode: 'STRICT' } },
  });
  assert.ok(
    text.startsWith(
      'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n',
    ),
  );
  const long = 'x'.repeat(300);
  assert.equal(
    toEditableYaml({ ...stored, metadata: { name: 'a', annotations: { note: long } } }).includes(long),
    true,
  );
});
