import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { PromTextError, parsePrometheusText } from './prom-text';

test('parses the format examples: escapes, timestamps, Inf and bare samples', () => {
  const text = [
    '# HELP http_requests_total The total number of HTTP requests.',
    '# TYPE http_requests_total counter',
    'http_requests_total{method="post",code="200"} 1027 1395066363000',
    'http_requests_total{method="post",code="400"}    3 1395066363000',
    '',
    'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    'metric_without_timestamp_and_labels 12.47',
    'something_weird{problem="division by zero"} +Inf -3982045',
    'trailing_comma{a="1",} 2',
  ].join('\n');
  const s = parsePrometheusText(text);
  assert.equal(s.length, 6);
  assert.deepEqual(s[0], {
    name: 'http_requests_total',
    labels: { method: 'post', code: '200' },
    labelsText: '{method="post",code="200"}',
    value: 1027,
    timestampMs: 1395066363000,
  });
  assert.equal(s[1]!.value, 3);
  assert.deepEqual(s[2]!.labels, { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
  assert.deepEqual(s[3], {
    name: 'metric_without_timestamp_and_labels',
    labels: {},
    labelsText: '',
    value: 12.47,
  });
  assert.equal(s[4]!.value, Number.POSITIVE_INFINITY);
  assert.equal(s[4]!.timestampMs, -3982045);
  assert.deepEqual(s[5]!.labels, { a: '1' });
});

test('the accept filter skips samples before parsing their labels', () => {
  const text = 'keep{a="1"} 1\nskip{broken 2\nkeep 3\n';
  const s = parsePrometheusText(text, (n) => n === 'keep');
  assert.deepEqual(
    s.map((x) => x.value),
    [1, 3],
  );
});

test('malformed lines raise a typed error with the line number', () => {
  assert.throws(
    () => parsePrometheusText('ok 1\nbad{a=1} 2'),
    (e: unknown) => e instanceof PromTextError && e.line === 2,
  );
  assert.throws(() => parsePrometheusText('novalue'), PromTextError);
  assert.throws(() => parsePrometheusText('x{a="1"} abc'), PromTextError);
});

test('round-trips what prom-client writes, histograms included', async () => {
  const registry = new Registry();
  const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['x', 'y'], registers: [registry] });
  const h = new Histogram({
    name: 'h_ms',
    help: 'h',
    labelNames: ['x'],
    buckets: [1, 10],
    registers: [registry],
  });
  c.inc({ x: 'a "quoted"\nline', y: '' }, 5);
  h.observe({ x: 'b' }, 4);
  const s = parsePrometheusText(await registry.metrics());
  const counter = s.find((x) => x.name === 'c_total')!;
  assert.deepEqual(counter.labels, { x: 'a "quoted"\nline', y: '' });
  assert.equal(counter.value, 5);
  const buckets = s.filter((x) => x.name === 'h_ms_bucket').map((x) => [x.labels.le, x.value]);
  assert.deepEqual(buckets, [
    ['1', 0],
    ['10', 1],
    ['+Inf', 1],
  ]);
});
