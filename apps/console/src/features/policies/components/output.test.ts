import assert from 'node:assert/strict';
import { test } from 'node:test';
import { marksFor } from './output';

// The catalogue's body for a 422 (lib/errors.ts), written out: '@/' paths do not resolve under node --test.
const invalid = (causes: { field: string; message: string }[]) => ({
  code: 'CONTROL_PLANE_INVALID' as const,
  message: 'The control plane refused the change as invalid: nothing was written.',
  causes,
});

const TEXT = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: {host: reviews, subset: v1}
          weight: 110
        - destination: {host: reviews, subset: v2}
          weight: -10
`;

test('422 causes mark their lines as errors; warnings mark theirs unless an error is there', () => {
  const failed = marksFor(
    {
      type: 'failed',
      action: 'check',
      httpStatus: 422,
      error: invalid([{ field: 'spec.http[0].route[1].weight', message: 'weight -10 < 0' }]),
    },
    TEXT,
  );
  assert.deepEqual([...failed], [[12, 'error']]);

  const checked = marksFor(
    {
      type: 'checked',
      result: {
        action: 'create',
        dryRun: true,
        ref: { kind: 'VirtualService', namespace: 'default', name: 'reviews' },
        resourceVersion: null,
        yaml: TEXT,
        warnings: [
          'spec.http[0].route: weights sum to 100',
          '[IST0101] spec.http[0].route[0].destination.host: Referenced host not found: "reviews"',
          'unknown field "spec.x"',
        ],
      },
    },
    TEXT,
  );
  assert.deepEqual([...checked].sort(), [
    [8, 'warning'],
    [9, 'warning'],
  ]);
});

test('YAML problems mark their line; a revert failure marks nothing in the editor', () => {
  assert.deepEqual(
    [...marksFor({ type: 'problems', action: 'apply', problems: [{ line: 3, message: 'x' }] }, TEXT)],
    [[3, 'error']],
  );
  const revert = marksFor(
    {
      type: 'failed',
      action: 'revert',
      httpStatus: 422,
      error: invalid([{ field: 'spec.hosts', message: 'x' }]),
    },
    TEXT,
  );
  assert.equal(revert.size, 0);
});
