import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryOn } from '../config/compile';
import { LocalReply, UpstreamResponse } from '../upstream/outcome';
import { backoffMs, retriable } from './retry';

function resp(status: number, headers: Record<string, string> = {}): UpstreamResponse {
  const r = new UpstreamResponse('c');
  r.onHead(status, headers);
  return r;
}

const policy = (on: number, codes: number[] = []) => ({
  attempts: 3,
  perTryTimeoutMs: 0,
  on,
  codes: new Set(codes),
});

test('retryOn conditions, Envoy semantics', () => {
  const p5 = policy(RetryOn['5xx']);
  assert.equal(retriable(p5, resp(500)), true);
  assert.equal(retriable(p5, resp(404)), false);
  assert.equal(retriable(p5, new LocalReply(503, 'UF', '', 'connect-failure')), true);
  assert.equal(retriable(p5, new LocalReply(503, 'UO', '', 'overflow')), false, 'overflow is never retried');
  assert.equal(retriable(p5, new LocalReply(503, 'UH', '', 'no-healthy')), false);
  const gw = policy(RetryOn['gateway-error']);
  assert.equal(retriable(gw, resp(502)), true);
  assert.equal(retriable(gw, resp(500)), false);
  const cf = policy(RetryOn['connect-failure']);
  assert.equal(retriable(cf, new LocalReply(503, 'UF', '', 'connect-failure')), true);
  assert.equal(retriable(cf, new LocalReply(503, 'UF', '', 'reset')), false);
  assert.equal(retriable(policy(RetryOn.reset), new LocalReply(504, 'UT', '', 'timeout')), true);
  const codes = policy(RetryOn['retriable-status-codes'], [409]);
  assert.equal(retriable(codes, resp(409)), true);
  assert.equal(retriable(codes, resp(500)), false);
  const grpc = policy(RetryOn.unavailable);
  assert.equal(retriable(grpc, resp(200, { 'grpc-status': '14' })), true);
  assert.equal(retriable(grpc, resp(200, { 'grpc-status': '5' })), false);
});

test('back-off is jittered within Envoy bounds', () => {
  assert.equal(
    backoffMs(1, () => 1),
    25,
  );
  assert.equal(
    backoffMs(2, () => 1),
    75,
  );
  assert.equal(
    backoffMs(10, () => 1),
    250,
  );
  assert.equal(
    backoffMs(3, () => 0),
    0,
  );
});
