import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from './duration';

test('parses Go-style durations to milliseconds', () => {
  const cases: [string, number][] = [
    ['1s', 1000],
    ['0.5s', 500],
    ['100ms', 100],
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['2.5s', 2500],
    ['7s', 7000],
    ['1.001s', 1001],
    ['1000us', 1],
    ['0', 0],
    ['0s', 0],
    ['1m0.5s', 60_500],
    ['.5s', 500],
  ];
  for (const [input, ms] of cases) {
    assert.deepEqual(parseDuration(input), { ok: true, ms }, input);
  }
});

test('refuses sub-millisecond precision', () => {
  for (const input of ['0.5ms', '1500us', '1.0001s', '100ns']) {
    const r = parseDuration(input);
    assert.equal(r.ok, false, input);
    assert.equal(r.ok === false && r.reason, 'precision', input);
  }
});

test('refuses negative durations', () => {
  const r = parseDuration('-1s');
  assert.equal(r.ok === false && r.reason, 'negative');
});

test('refuses what is not a duration', () => {
  for (const input of ['', 's', '1', '1 s', '1sec', 'abc', '1.s.5', '.s', '10d']) {
    const r = parseDuration(input);
    assert.equal(r.ok === false && r.reason, 'syntax', input);
  }
});

test('formats milliseconds the way Istio examples write them', () => {
  assert.equal(formatDuration(7000), '7s');
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(100), '100ms');
  assert.equal(formatDuration(120_000), '2m');
  assert.equal(formatDuration(0), '0s');
});
