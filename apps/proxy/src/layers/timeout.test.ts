import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalReply, type Outcome, UpstreamResponse } from '../upstream/outcome';
import { compiled, fakeCall, testConfig } from './testing';
import { withDeadline } from './timeout';

test('the deadline answers 504 UT and cancels the try in flight; a fast outcome wins the race', async () => {
  const call = fakeCall(compiled(testConfig([], [])));
  const slow = new UpstreamResponse('c');
  call.inflight = slow;
  const o = await withDeadline(slow.promise, 20, call, false);
  assert.equal(o.kind, 'local');
  assert.equal((o as LocalReply).flag, 'UT');
  assert.equal(call.cancelled, true);
  assert.equal(slow.done, true, 'the late try was cancelled');

  const call2 = fakeCall(compiled(testConfig([], [])));
  const fast = Promise.resolve<Outcome>(new LocalReply(200, null, 'ok'));
  const o2 = await withDeadline(fast, 1000, call2, true);
  assert.equal((o2 as LocalReply).status, 200);
  assert.equal(call2.cancelled, false);
});
