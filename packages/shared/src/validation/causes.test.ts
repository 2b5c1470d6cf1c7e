import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldPath } from './causes';

test('field paths are written the way Kubernetes writes them', () => {
  assert.equal(fieldPath(['spec', 'http', 0, 'route', 1, 'weight']), 'spec.http[0].route[1].weight');
  assert.equal(
    fieldPath(['metadata', 'labels', 'app.kubernetes.io/name']),
    'metadata.labels[app.kubernetes.io/name]',
  );
  assert.equal(
    fieldPath(['spec', 'http', 0, 'match', 0, 'headers', 'end-user', 'exact']),
    'spec.http[0].match[0].headers[end-user].exact',
  );
  assert.equal(fieldPath(['spec', 'portLevelMtls', '8080']), 'spec.portLevelMtls[8080]');
  assert.equal(fieldPath([]), '');
});
