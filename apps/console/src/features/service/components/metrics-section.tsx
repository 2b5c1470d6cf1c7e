'use client';

import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatMs, formatRps } from '@/lib/format';
import { useServiceMetrics } from '../api/get-service-metrics';
import type { ServiceRange } from '../range';
import { type ChartSpec, GoldenChart } from './golden-chart';
import { MetricsSummary } from './metrics-summary';
import styles from './service.module.css';

const pct = (v: number) => (v === 0 ? '0%' : `${v < 10 ? v.toFixed(1) : v.toFixed(0)}%`);
/** Axis labels must fit 52 px: "800ms", "2.5s" (formatMs's "<1 ms" for 0 would mislead on an axis). */
const axisMs = (v: number) => (v >= 1000 ? `${+(v / 1000).toFixed(2)}s` : `${+v.toFixed(v < 10 ? 1 : 0)}ms`);

const RATE: ChartSpec = { metric: 'rps', title: 'Requests', unit: 'per second', format: formatRps };
const ERRORS: ChartSpec = {
  metric: 'errorPct',
  title: 'Errors',
  unit: '% of requests (5xx, reset, gRPC ≠ OK)',
  format: pct,
};
const LATENCY: ChartSpec[] = [
  { metric: 'p50Ms', title: 'Latency p50', unit: '', format: formatMs, axis: axisMs },
  { metric: 'p95Ms', title: 'Latency p95', unit: '', format: formatMs, axis: axisMs },
  { metric: 'p99Ms', title: 'Latency p99', unit: '', format: formatMs, axis: axisMs },
];

export function MetricsSection({
  namespace,
  name,
  range,
}: {
  namespace: string;
  name: string;
  range: ServiceRange;
}) {
  const query = useServiceMetrics(namespace, name, range);
  const data = query.data;

  let body: React.ReactNode;
  if (query.isPending) body = <LoadingState label="Loading golden metrics…" />;
  else if (query.isError && !data)
    body = (
      <ErrorState
        title="Cannot load this service's metrics"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  else if (data && !data.hasTraffic)
    body = (
      <EmptyState title={`No requests to ${name} in the last ${range}`}>
        <p>
          The charts fill in once the service's sidecars see traffic; the demo's load generator sends some (
          <code>trellis demo --rate N</code>).
        </p>
      </EmptyState>
    );
  else if (data)
    body = (
      <>
        {query.isError ? (
          <div className="banner banner-warn" role="status" data-testid="stale-banner">
            Showing the last good numbers: the latest refresh failed ({query.error.message}).
          </div>
        ) : null}
        <MetricsSummary rows={data.summary} series={data.series} />
        <div className={styles.charts} data-testid="charts" aria-busy={query.isPlaceholderData}>
          <GoldenChart spec={RATE} rows={data.charts.rps} series={data.series} />
          <GoldenChart spec={ERRORS} rows={data.charts.errorPct} series={data.series} />
          {LATENCY.map((spec) => (
            <GoldenChart
              key={spec.metric}
              spec={spec}
              rows={data.charts[spec.metric]}
              series={data.series}
              small
            />
          ))}
        </div>
      </>
    );

  return (
    <section className={styles.section} aria-labelledby="metrics-heading" data-testid="metrics-section">
      <div className={styles.sectionHeader}>
        <h2 id="metrics-heading">Golden metrics</h2>
        {data ? (
          <span className={styles.sectionNote} data-testid="metrics-note">
            {data.reporter === 'destination' ? 'As the service’s sidecars saw it' : 'As clients saw it'} ·
            step {data.window.stepSeconds} s ·{' '}
            {data.backend === 'prometheus' ? 'Prometheus' : 'built-in telemetry'}
          </span>
        ) : null}
      </div>
      {body}
    </section>
  );
}
