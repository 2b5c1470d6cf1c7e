import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles from 100 ms up to the 5 s cap without jitter', () => {
    const b = new Backoff({ jitter: 0 });
    const delays = Array.from({ length: 10 }, () => b.next());
    assert.deepEqual(delays, [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000]);
  });

  it('spreads each delay within ±20%', () => {
    const low = new Backoff({}, () => 0);
    const high = new Backoff({}, () => 0.999999);
    assert.equal(low.next(), 80);
    assert.equal(high.next(), 120);
    // Never above the cap.
    const capped = new Backoff({ initialMs: 5000 }, () => 0.999999);
    assert.equal(capped.next(), 5000);
  });

  it('starts over after reset', () => {
    const b = new Backoff({ jitter: 0 });
    b.next();
    b.next();
    b.reset();
    assert.equal(b.next(), 100);
  });
});
