import type { TelemetryStatus } from '@trellis/shared';
import { request } from 'undici';
import {
  SERVICE_LATENCY_LABELS,
  SERVICE_REQUEST_LABELS,
  type ServiceRatesQuery,
  type StepRates,
  type TelemetryBackend,
  TelemetryBackendError,
} from './backend';
import {
  GRAPH_LATENCY_LABELS,
  GRAPH_REQUEST_LABELS,
  GRAPH_TCP_LABELS,
  type RateRow,
  type TrafficRates,
} from './rates';

export interface PrometheusBackendOptions {
  /** Base URL, e.g. http://127.0.0.1:9090 */
  url: string;
  /** Prometheus's scrape interval, to choose rate() ranges that hold enough samples (default 15 s). */
  scrapeIntervalSeconds?: number;
  timeoutMs?: number;
}

type PromResult =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] };

/** A PromQL string literal (https://prometheus.io/docs/prometheus/latest/querying/basics/#string-literals). */
export function promString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The PromQL the Prometheus backend runs; exported so tests and docs can show them. */
export const PROMQL = {
  requests: (w: number) => `sum by (${GRAPH_REQUEST_LABELS.join(',')}) (rate(istio_requests_total[${w}s]))`,
  durationBuckets: (w: number) =>
    `sum by (${GRAPH_LATENCY_LABELS.join(',')},le) (rate(istio_request_duration_milliseconds_bucket[${w}s]))`,
  tcpSent: (w: number) => `sum by (${GRAPH_TCP_LABELS.join(',')}) (rate(istio_tcp_sent_bytes_total[${w}s]))`,
  tcpReceived: (w: number) =>
    `sum by (${GRAPH_TCP_LABELS.join(',')}) (rate(istio_tcp_received_bytes_total[${w}s]))`,
  serviceSelector: (q: Pick<ServiceRatesQuery, 'reporter' | 'namespace' | 'service'>) =>
    `reporter=${promString(q.reporter)},destination_service_namespace=${promString(q.namespace)},destination_service_name=${promString(q.service)}`,
  serviceRequests: (q: ServiceRatesQuery) =>
    `sum by (${SERVICE_REQUEST_LABELS.join(',')}) (rate(istio_requests_total{${PROMQL.serviceSelector(q)}}[${q.rateWindowSeconds}s]))`,
  serviceBuckets: (q: ServiceRatesQuery) =>
    `sum by (${SERVICE_LATENCY_LABELS.join(',')}) (rate(istio_request_duration_milliseconds_bucket{${PROMQL.serviceSelector(q)}}[${q.rateWindowSeconds}s]))`,
};

/** Telemetry from a real Prometheus over its HTTP API (PromQL), for when one is configured. */
export class PrometheusBackend implements TelemetryBackend {
  readonly kind = 'prometheus' as const;
  readonly minRateWindowSeconds: number;
  private readonly base: string;

  constructor(private readonly opts: PrometheusBackendOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.minRateWindowSeconds = (opts.scrapeIntervalSeconds ?? 15) * 4;
  }

  get url(): string {
    return this.base;
  }

  start(): void {}

  async stop(): Promise<void> {}

  private async api(path: string, params: Record<string, string>): Promise<PromResult> {
    const url = `${this.base}${path}?${new URLSearchParams(params)}`;
    const timeout = this.opts.timeoutMs ?? 10_000;
    let status: number;
    let text: string;
    try {
      const res = await request(url, { headersTimeout: timeout, bodyTimeout: timeout });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw new TelemetryBackendError(
        'PROMETHEUS_UNREACHABLE',
        `Prometheus at ${this.base} did not answer: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    let body: { status?: string; data?: PromResult; error?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new TelemetryBackendError(
        'PROMETHEUS_QUERY_FAILED',
        `Prometheus answered ${status} without JSON`,
      );
    }
    if (status !== 200 || body.status !== 'success' || !body.data)
      throw new TelemetryBackendError(
        'PROMETHEUS_QUERY_FAILED',
        `Prometheus query failed (${status}): ${body.error ?? 'no data'} — query: ${params.query}`,
      );
    return body.data;
  }

  private async instant(query: string, endMs: number): Promise<RateRow[]> {
    const data = await this.api('/api/v1/query', { query, time: String(endMs / 1000) });
    if (data.resultType !== 'vector') return [];
    return data.result
      .map((r) => ({ labels: r.metric, value: Number(r.value[1]) }))
      .filter((r) => Number.isFinite(r.value));
  }

  async trafficRates(endMs: number, windowSeconds: number): Promise<TrafficRates> {
    const w = Math.round(windowSeconds);
    const [requests, durationBuckets, tcpSent, tcpReceived] = await Promise.all([
      this.instant(PROMQL.requests(w), endMs),
      this.instant(PROMQL.durationBuckets(w), endMs),
      this.instant(PROMQL.tcpSent(w), endMs),
      this.instant(PROMQL.tcpReceived(w), endMs),
    ]);
    return { requests, durationBuckets, tcpSent, tcpReceived };
  }

  private async range(query: string, q: ServiceRatesQuery): Promise<Map<number, RateRow[]>> {
    const data = await this.api('/api/v1/query_range', {
      query,
      start: String(q.startMs / 1000),
      end: String(q.endMs / 1000),
      step: String(q.stepSeconds),
    });
    const byT = new Map<number, RateRow[]>();
    if (data.resultType !== 'matrix') return byT;
    for (const series of data.result) {
      for (const [t, v] of series.values) {
        const value = Number(v);
        if (!Number.isFinite(value)) continue;
        const tMs = Math.round(t * 1000);
        let rows = byT.get(tMs);
        if (!rows) {
          rows = [];
          byT.set(tMs, rows);
        }
        rows.push({ labels: series.metric, value });
      }
    }
    return byT;
  }

  async serviceRates(q: ServiceRatesQuery): Promise<StepRates[]> {
    const [requests, buckets] = await Promise.all([
      this.range(PROMQL.serviceRequests(q), q),
      this.range(PROMQL.serviceBuckets(q), q),
    ]);
    const out: StepRates[] = [];
    for (let t = q.startMs; t <= q.endMs; t += q.stepSeconds * 1000) {
      const tMs = Math.round(t);
      out.push({ tMs, requests: requests.get(tMs) ?? [], durationBuckets: buckets.get(tMs) ?? [] });
    }
    return out;
  }

  scraperStatus(): TelemetryStatus['scraper'] {
    return {
      targets: 0,
      healthyTargets: 0,
      seriesHeld: 0,
      maxSeries: 0,
      droppedSeries: 0,
      intervalSeconds: this.opts.scrapeIntervalSeconds ?? 15,
      lastScrapeMs: null,
    };
  }
}
