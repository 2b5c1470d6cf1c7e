import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWarningHeader, warningParts } from './warnings';

test('several Warning header values joined by fetch, with commas and escaped quotes inside', () => {
  const header =
    '299 - "spec.http[0].route: weights sum to 110, not 100; Istio normalises them, so each destination gets weight/110", 299 - "[IST0101] spec.http[0].route[0].destination.host: Referenced host not found: \\"reviews\\""';
  assert.deepEqual(parseWarningHeader(header), [
    'spec.http[0].route: weights sum to 110, not 100; Istio normalises them, so each destination gets weight/110',
    '[IST0101] spec.http[0].route[0].destination.host: Referenced host not found: "reviews"',
  ]);
  assert.deepEqual(parseWarningHeader(null), []);
});

test('a warning splits into code, field and message', () => {
  assert.deepEqual(
    warningParts('[IST0101] spec.http[0].route[0].destination.host: Referenced host not found: "reviews"'),
    {
      code: 'IST0101',
      field: 'spec.http[0].route[0].destination.host',
      message: 'Referenced host not found: "reviews"',
    },
  );
  assert.deepEqual(warningParts('unknown field "spec.foo"'), {
    code: null,
    field: null,
    message: 'unknown field "spec.foo"',
  });
});
