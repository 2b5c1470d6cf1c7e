import assert from 'node:assert/strict';
import { it } from 'node:test';
import { gcDelta, gcTotals } from './report';

// The shape prom-client's default metrics print (one histogram per kind of collection).
const page = (
  minor: number,
  major: number,
  minorUnder10ms: number,
) => `# HELP nodejs_gc_duration_seconds Garbage collection duration by kind, one of major, minor, incremental or weakcb.
# TYPE nodejs_gc_duration_seconds histogram
nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} ${minorUnder10ms - 1}
nodejs_gc_duration_seconds_bucket{le="0.01",kind="minor"} ${minorUnder10ms}
nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor"} ${minor}
nodejs_gc_duration_seconds_sum{kind="minor"} 0.25
nodejs_gc_duration_seconds_count{kind="minor"} ${minor}
nodejs_gc_duration_seconds_bucket{le="0.01",kind="major"} 0
nodejs_gc_duration_seconds_bucket{le="+Inf",kind="major"} ${major}
nodejs_gc_duration_seconds_sum{kind="major"} 0.05
nodejs_gc_duration_seconds_count{kind="major"} ${major}
istio_requests_total{reporter="source"} 12
`;

it('sums GC pauses over every kind and counts those over 10 ms', () => {
  assert.deepEqual(gcTotals(page(100, 2, 99)), { count: 102, totalMs: 300, over10ms: 3 });
  assert.deepEqual(gcTotals(''), { count: 0, totalMs: 0, over10ms: 0 });
});

it('gives the pauses of the measured run as the difference of two scrapes', () => {
  const d = gcDelta(gcTotals(page(100, 2, 99)), gcTotals(page(150, 3, 148)));
  assert.equal(d.count, 51);
  assert.equal(d.over10ms, 2);
});
