import type { GoldenSignals } from '@trellis/shared';
import { type Bucket, histogramQuantile, parseLe } from './quantile';

/** One aggregated series: `sum by (labels) (rate(metric[window]))` at one instant, per second. */
export interface RateRow {
  labels: Record<string, string>;
  value: number;
}

/** What the graph is computed from; both backends produce it for the same group-by labels. */
export interface TrafficRates {
  /** istio_requests_total, by GRAPH_REQUEST_LABELS. */
  requests: RateRow[];
  /** istio_request_duration_milliseconds_bucket, by GRAPH_LATENCY_LABELS plus le. */
  durationBuckets: RateRow[];
  /** istio_tcp_sent_bytes_total and istio_tcp_received_bytes_total, by GRAPH_TCP_LABELS. */
  tcpSent: RateRow[];
  tcpReceived: RateRow[];
}

const PEER = [
  'reporter',
  'source_workload_namespace',
  'source_workload',
  'source_canonical_service',
  'source_version',
  'destination_service',
  'destination_service_namespace',
  'destination_workload_namespace',
  'destination_workload',
  'destination_canonical_service',
  'destination_version',
] as const;

export const GRAPH_REQUEST_LABELS = [
  ...PEER,
  'request_protocol',
  'response_code',
  'grpc_response_status',
  'response_flags',
  'connection_security_policy',
] as const;
export const GRAPH_LATENCY_LABELS = [...PEER, 'request_protocol'] as const;
export const GRAPH_TCP_LABELS = [...PEER, 'response_flags', 'connection_security_policy'] as const;

/** The `sum by (...)` of PromQL: adds up rows that agree on `by`, dropping other labels. */
export function sumBy(rows: Iterable<RateRow>, by: readonly string[]): RateRow[] {
  const out = new Map<string, RateRow>();
  for (const row of rows) {
    const labels: Record<string, string> = {};
    for (const l of by) labels[l] = row.labels[l] ?? '';
    const key = by.map((l) => labels[l]).join('\u0001');
    const acc = out.get(key);
    if (acc) acc.value += row.value;
    else out.set(key, { labels, value: row.value });
  }
  return [...out.values()];
}

/** 5xx, or no response at all (code 0), or a gRPC status other than OK. */
export function isError(labels: Record<string, string>): boolean {
  const code = Number(labels.response_code ?? '');
  if (code === 0 || code >= 500) return true;
  const grpc = labels.grpc_response_status ?? '';
  return grpc !== '' && grpc !== '0';
}

/** Adds `bucket rows` (each with an le label) into a per-le accumulator. */
export function addBuckets(acc: Map<number, number>, rows: Iterable<RateRow>): void {
  for (const row of rows) {
    const le = parseLe(row.labels.le ?? '');
    if (Number.isNaN(le)) continue;
    acc.set(le, (acc.get(le) ?? 0) + row.value);
  }
}

export function quantiles(buckets: Map<number, number>): Pick<GoldenSignals, 'p50Ms' | 'p95Ms' | 'p99Ms'> {
  const list: Bucket[] = [...buckets].map(([le, count]) => ({ le, count }));
  return {
    p50Ms: histogramQuantile(0.5, list),
    p95Ms: histogramQuantile(0.95, list),
    p99Ms: histogramQuantile(0.99, list),
  };
}

/** Golden signals of some request rows and the duration-bucket rows of the same traffic. */
export function goldenSignals(requests: Iterable<RateRow>, buckets: Iterable<RateRow>): GoldenSignals {
  let rps = 0;
  let errors = 0;
  for (const r of requests) {
    rps += r.value;
    if (isError(r.labels)) errors += r.value;
  }
  const acc = new Map<number, number>();
  addBuckets(acc, buckets);
  return { rps, errorRate: rps > 0 ? errors / rps : null, ...quantiles(acc) };
}
