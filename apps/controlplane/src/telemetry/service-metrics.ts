import type { GoldenSeries, ServiceMetrics } from '@trellis/shared';
import type { StepRates } from './backend';
import { goldenSignals, type RateRow } from './rates';

function versionKey(l: Record<string, string>): string {
  return `${l.destination_workload ?? 'unknown'}\u0001${l.destination_version || 'unknown'}`;
}

function groupByVersion(rows: readonly RateRow[]): Map<string, RateRow[]> {
  const out = new Map<string, RateRow[]>();
  for (const r of rows) {
    const k = versionKey(r.labels);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * Golden-signal series of one service, total and per destination version, from the per-step
 * rates of either backend. Every series has a point at every step so charts line up; a step
 * without traffic has rps 0 and null error rate and latencies.
 */
export function buildServiceMetrics(
  steps: readonly StepRates[],
  meta: Omit<ServiceMetrics, 'total' | 'versions'>,
): ServiceMetrics {
  const total: GoldenSeries = { points: [] };
  const versions = new Map<string, GoldenSeries>();
  const perStep = steps.map((s) => ({
    tMs: s.tMs,
    requests: groupByVersion(s.requests),
    buckets: groupByVersion(s.durationBuckets),
  }));
  for (const s of perStep) {
    for (const [k] of [...s.requests, ...s.buckets]) {
      if (versions.has(k)) continue;
      const [workload, version] = k.split('\u0001') as [string, string];
      versions.set(k, { version, workload, points: [] });
    }
  }
  steps.forEach((s, i) => {
    total.points.push({ tMs: s.tMs, ...goldenSignals(s.requests, s.durationBuckets) });
    const step = perStep[i]!;
    for (const [k, series] of versions) {
      series.points.push({
        tMs: s.tMs,
        ...goldenSignals(step.requests.get(k) ?? [], step.buckets.get(k) ?? []),
      });
    }
  });
  return {
    ...meta,
    total,
    versions: [...versions.values()].sort(
      (a, b) =>
        (a.version ?? '').localeCompare(b.version ?? '') ||
        (a.workload ?? '').localeCompare(b.workload ?? ''),
    ),
  };
}
