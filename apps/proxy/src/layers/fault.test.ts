import assert from 'node:assert/strict';
import { test } from 'node:test';
import { abortReply, roll } from './fault';

test('roll honours the percentage at its edges', () => {
  assert.equal(
    roll(0, () => 0),
    false,
  );
  assert.equal(
    roll(100, () => 0.999),
    true,
  );
  assert.equal(
    roll(50, () => 0.49),
    true,
  );
  assert.equal(
    roll(50, () => 0.5),
    false,
  );
  assert.equal(
    roll(0.1, () => 0.0009),
    true,
  );
});

test('an abort is an HTTP status with FI, or a gRPC status', () => {
  const h = abortReply({ httpStatus: 418, percent: 100 });
  assert.equal(h.status, 418);
  assert.equal(h.flag, 'FI');
  const g = abortReply({ grpcStatus: 14, percent: 100 });
  assert.equal(g.status, 200);
  assert.equal(g.grpcStatus, 14);
});
