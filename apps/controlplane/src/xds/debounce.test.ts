import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Debouncer } from './debounce';

describe('Debouncer', () => {
  it('coalesces a burst into one call', async () => {
    let calls = 0;
    const d = new Debouncer(() => calls++, { quietMs: 50, maxDelayMs: 2000 });
    for (let i = 0; i < 20; i++) d.trigger();
    assert.equal(calls, 0);
    await sleep(250);
    assert.equal(calls, 1);
    d.close();
  });

  it('fires at the max delay even while triggers keep coming', async () => {
    let calls = 0;
    const d = new Debouncer(() => calls++, { quietMs: 100, maxDelayMs: 150 });
    // A trigger every 20 ms for ~600 ms never leaves 100 ms of quiet.
    for (let i = 0; i < 30; i++) {
      d.trigger();
      await sleep(20);
    }
    assert.ok(calls >= 2, `expected pushes during steady churn, got ${calls}`);
    d.close();
  });

  it('does nothing after close', async () => {
    let calls = 0;
    const d = new Debouncer(() => calls++, { quietMs: 10, maxDelayMs: 20 });
    d.trigger();
    d.close();
    await sleep(60);
    assert.equal(calls, 0);
  });
});
