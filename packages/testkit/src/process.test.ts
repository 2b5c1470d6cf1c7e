import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProcessExitedError, spawnProcess, waitUntil } from './process';

test('waitUntil gives up as soon as the watched process exits, with its output', async (t) => {
  const proc = spawnProcess(t, 'dies', process.execPath, [
    '-e',
    "console.error('listen EADDRINUSE 127.0.0.1:1'); process.exit(3)",
  ]);
  const started = Date.now();
  const err = await waitUntil('something that never comes', () => false, {
    timeoutMs: 60_000,
    procs: [proc],
  }).then(
    () => assert.fail('resolved'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProcessExitedError);
  assert.equal(err.code, 3);
  assert.match(err.message, /dies exited \(code 3\)[\s\S]*EADDRINUSE/);
  assert.ok(Date.now() - started < 30_000, 'well before the 60 s deadline');
});

test('a check that throws ProcessExitedError ends the wait; other errors are retried', async (t) => {
  const proc = spawnProcess(t, 'quick', process.execPath, ['-e', '']);
  await proc.exited;
  let calls = 0;
  const v = await waitUntil('third call', () => {
    calls++;
    if (calls < 3) throw new Error('not yet');
    return calls;
  });
  assert.equal(v, 3);
  await assert.rejects(
    waitUntil('never', () => {
      proc.assertRunning();
      return false;
    }),
    ProcessExitedError,
  );
});

test('a wait on a live process times out with the last error', async (t) => {
  const proc = spawnProcess(t, 'sleeper', process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  await assert.rejects(
    waitUntil(
      'a failing check',
      () => {
        throw new Error('still down');
      },
      { timeoutMs: 300, everyMs: 50, procs: [proc] },
    ),
    /timed out after 300 ms waiting for a failing check \(last error: Error: still down\)/,
  );
  await proc.stop();
  assert.ok(proc.hasExited());
});
