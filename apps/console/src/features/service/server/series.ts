import type { ServiceRange } from '../range';
import type { ChartRow, MetricId, SeriesInfo, ServiceMetricsView, SummaryRow } from '../types';
import type { MetricsPoint, MetricsSeries, ServiceMetricsWire } from './schemas';

const METRICS: Record<MetricId, (p: MetricsPoint) => number | null> = {
  rps: (p) => p.rps,
  // Charts read percentages; the API's fractions would put every line near the axis.
  errorPct: (p) => (p.errorRate === null ? null : p.errorRate * 100),
  p50Ms: (p) => p.p50Ms,
  p95Ms: (p) => p.p95Ms,
  p99Ms: (p) => p.p99Ms,
};

/** "v2", or "v2 (reviews-v2b)" when two workloads report the same version. */
function labelsOf(versions: MetricsSeries[]): string[] {
  const count = new Map<string, number>();
  for (const s of versions) count.set(s.version ?? 'unknown', (count.get(s.version ?? 'unknown') ?? 0) + 1);
  return versions.map((s) => {
    const v = s.version ?? 'unknown';
    return (count.get(v) ?? 0) > 1 && s.workload ? `${v} (${s.workload})` : v;
  });
}

/**
 * recharts wants one row per x value with a field per line; the API gives one series per
 * version. Rows are keyed by step time (the control plane gives every series a point at every
 * step, but a series that starts late must not shift the others), in time order.
 */
export function mergeSeries(all: { key: string; series: MetricsSeries }[], metric: MetricId): ChartRow[] {
  const read = METRICS[metric];
  const rows = new Map<number, ChartRow>();
  for (const { series } of all)
    for (const p of series.points) if (!rows.has(p.tMs)) rows.set(p.tMs, { tMs: p.tMs } as ChartRow);
  for (const row of rows.values()) for (const { key } of all) row[key] = null;
  for (const { key, series } of all)
    for (const p of series.points) {
      const row = rows.get(p.tMs);
      if (row) row[key] = read(p);
    }
  return [...rows.values()].sort((a, b) => a.tMs - b.tMs);
}

/**
 * The numbers beside the charts. Steps are equally long, so the mean of per-step rates is the
 * rate over the range and errors weigh by each step's requests. Quantiles cannot be averaged
 * across steps, so latency shows the latest step that carried traffic.
 */
export function summarise(series: MetricsSeries): Omit<SummaryRow, 'key' | 'label' | 'total'> {
  const n = series.points.length;
  let requests = 0;
  let errors = 0;
  let latest: MetricsPoint | null = null;
  for (const p of series.points) {
    requests += p.rps;
    if (p.errorRate !== null) errors += p.rps * p.errorRate;
    if (p.rps > 0 && (latest === null || p.tMs > latest.tMs)) latest = p;
  }
  return {
    rps: n === 0 ? 0 : requests / n,
    errorRate: requests > 0 ? errors / requests : null,
    p50Ms: latest?.p50Ms ?? null,
    p95Ms: latest?.p95Ms ?? null,
    p99Ms: latest?.p99Ms ?? null,
    latestMs: latest?.tMs ?? null,
  };
}

export function buildMetricsView(wire: ServiceMetricsWire, range: ServiceRange): ServiceMetricsView {
  const labels = labelsOf(wire.versions);
  const keyed = [
    { key: 's0', series: wire.total },
    ...wire.versions.map((series, i) => ({ key: `s${i + 1}`, series })),
  ];
  const series: SeriesInfo[] = [
    { key: 's0', label: 'total', total: true, version: null, workload: null },
    ...wire.versions.map((s, i) => ({
      key: `s${i + 1}`,
      label: labels[i] ?? 'unknown',
      total: false,
      version: s.version ?? null,
      workload: s.workload ?? null,
    })),
  ];
  const charts = {} as Record<MetricId, ChartRow[]>;
  for (const metric of Object.keys(METRICS) as MetricId[]) charts[metric] = mergeSeries(keyed, metric);
  const summary: SummaryRow[] = keyed.map(({ key, series: s }, i) => ({
    key,
    label: series[i]?.label ?? key,
    total: i === 0,
    ...summarise(s),
  }));
  return {
    service: wire.service,
    range,
    backend: wire.backend,
    reporter: wire.reporter,
    window: wire.window,
    series,
    charts,
    summary,
    hasTraffic: keyed.some(({ series: s }) => s.points.some((p) => p.rps > 0)),
  };
}
