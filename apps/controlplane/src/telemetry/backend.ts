import type { TelemetryBackendKind, TelemetryStatus } from '@trellis/shared';
import type { RateRow, TrafficRates } from './rates';

/** Labels service time series are grouped by (per destination version). */
export const SERVICE_REQUEST_LABELS = [
  'destination_workload',
  'destination_version',
  'response_code',
  'grpc_response_status',
] as const;
export const SERVICE_LATENCY_LABELS = ['destination_workload', 'destination_version', 'le'] as const;

export interface ServiceRatesQuery {
  namespace: string;
  /** Service short name (destination_service_name). */
  service: string;
  reporter: 'source' | 'destination';
  startMs: number;
  endMs: number;
  stepSeconds: number;
  /** The rate() range at each step. */
  rateWindowSeconds: number;
}

/** Rates at one step of a range query. */
export interface StepRates {
  tMs: number;
  /** istio_requests_total by SERVICE_REQUEST_LABELS. */
  requests: RateRow[];
  /** istio_request_duration_milliseconds_bucket by SERVICE_LATENCY_LABELS. */
  durationBuckets: RateRow[];
}

export class TelemetryBackendError extends Error {
  override readonly name = 'TelemetryBackendError';
  constructor(
    readonly code: 'PROMETHEUS_UNREACHABLE' | 'PROMETHEUS_QUERY_FAILED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Where rates come from. The two backends answer the same questions with the same group-by
 * labels; the graph and the golden-signal series are computed from their answers by the same
 * pure functions (graph.ts, service-metrics.ts), so switching backends changes no numbers'
 * meaning.
 */
export interface TelemetryBackend {
  readonly kind: TelemetryBackendKind;
  /** Instant rates over [endMs - windowSeconds, endMs] for the graph. */
  trafficRates(endMs: number, windowSeconds: number): Promise<TrafficRates>;
  /** One StepRates per step from startMs to endMs inclusive. */
  serviceRates(q: ServiceRatesQuery): Promise<StepRates[]>;
  /** The scraper part of the status (targets, series held). */
  scraperStatus(): TelemetryStatus['scraper'];
  /** Smallest sensible rate() range: a few scrape intervals. */
  readonly minRateWindowSeconds: number;
  start(): void;
  stop(): Promise<void>;
}
