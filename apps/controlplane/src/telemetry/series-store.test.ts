import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Sample } from './prom-text';
import { Series, SeriesStore } from './series-store';

function sample(name: string, labels: Record<string, string>, value: number): Sample {
  const labelsText = `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
  return { name, labels, labelsText, value };
}

test('rate of a steady counter is its slope, extrapolated over the window', () => {
  const s = new Series('c', {}, 100);
  // 10 per second, scraped every 5 s, from t=0 (value 0) to t=60 s.
  for (let t = 0; t <= 60; t += 5) s.push(t * 1000, t * 10);
  assert.ok(Math.abs(s.rate(30_000, 60_000)! - 10) < 1e-9);
  // A window not aligned with scrapes still gives the slope.
  assert.ok(Math.abs(s.rate(32_000, 58_000)! - 10) < 1e-9);
  assert.equal(s.rate(56_000, 60_000), undefined, 'one sample has no rate');
});

test('a counter reset counts from zero instead of going negative', () => {
  const s = new Series('c', {}, 100);
  s.push(5_000, 100);
  s.push(10_000, 150);
  s.push(15_000, 20); // process restarted: 20 new since
  s.push(20_000, 70);
  // increase = 50 + 20 + 50 = 120 over 15 s sampled; window (0, 20 s] extrapolates to the start.
  const r = s.rate(0, 20_000)!;
  assert.ok(r > 120 / 20 && r <= 8, `rate ${r}`);
});

test('the ring keeps only the newest points and ignores out-of-order ones', () => {
  const s = new Series('c', {}, 3);
  for (let t = 1; t <= 5; t++) s.push(t * 1000, t);
  s.push(4500, 99);
  assert.equal(s.len, 3);
  assert.equal(s.lastMs, 5000);
  assert.equal(s.rate(0, 10_000)! > 0, true);
});

test('the store holds at most maxSeries series and counts what it refused', () => {
  const store = new SeriesStore({ maxSeries: 5, retentionMs: 60_000, pointsPerSeries: 10 });
  const samples = Array.from({ length: 8 }, (_, i) => sample('m', { code: String(i) }, i));
  store.ingest('a:1', 1000, samples);
  store.ingest('a:1', 2000, samples);
  assert.equal(store.size, 5);
  assert.equal(store.dropped, 6);
  // The same labels from another target are another series (another replica), also refused.
  store.ingest('b:1', 2000, [samples[0]!]);
  assert.equal(store.size, 5);
});

test('series not scraped for a retention period are forgotten', () => {
  const store = new SeriesStore({ maxSeries: 10, retentionMs: 10_000, pointsPerSeries: 10 });
  store.ingest('a:1', 1000, [sample('m', { x: '1' }, 1)]);
  store.ingest('a:1', 9000, [sample('m', { x: '2' }, 1)]);
  store.prune(15_000);
  assert.deepEqual(
    store.select('m').map((s) => s.labels.x),
    ['2'],
  );
  assert.equal(store.size, 1);
});

test('rates() returns one row per series with a rate, filtered by labels', () => {
  const store = new SeriesStore({ maxSeries: 10, retentionMs: 60_000, pointsPerSeries: 20 });
  for (let t = 0; t <= 30; t += 5) {
    store.ingest('a:1', t * 1000, [sample('m', { svc: 'x' }, t * 2), sample('m', { svc: 'y' }, t)]);
  }
  const rows = store.rates('m', 30_000, 20_000, (l) => l.svc === 'x');
  assert.equal(rows.length, 1);
  assert.ok(Math.abs(rows[0]!.value - 2) < 1e-9);
});
