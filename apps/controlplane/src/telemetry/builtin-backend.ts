import type { TelemetryStatus } from '@trellis/shared';
import {
  SERVICE_LATENCY_LABELS,
  SERVICE_REQUEST_LABELS,
  type ServiceRatesQuery,
  type StepRates,
  type TelemetryBackend,
} from './backend';
import {
  GRAPH_LATENCY_LABELS,
  GRAPH_REQUEST_LABELS,
  GRAPH_TCP_LABELS,
  sumBy,
  type TrafficRates,
} from './rates';
import { Scraper } from './scraper';
import { ratesOf, SeriesStore } from './series-store';
import type { TargetSource } from './targets';

export interface BuiltinBackendOptions {
  source: TargetSource;
  /** Scrape interval (default 5 s). */
  intervalMs?: number;
  /** How long points are kept (default 15 min): the longest window the console can ask for. */
  retentionMs?: number;
  /** Most series held (default 10,000; each costs about 16 bytes per point kept). */
  maxSeries?: number;
  /** Clock for scrape timestamps (tests drive it by hand). */
  now?: () => number;
}

/** The default backend: scrapes every registered sidecar itself, no setup. */
export class BuiltinBackend implements TelemetryBackend {
  readonly kind = 'builtin' as const;
  readonly store: SeriesStore;
  readonly scraper: Scraper;
  readonly minRateWindowSeconds: number;
  private readonly intervalMs: number;

  constructor(private readonly opts: BuiltinBackendOptions) {
    this.intervalMs = opts.intervalMs ?? 5000;
    const retentionMs = opts.retentionMs ?? 15 * 60_000;
    this.store = new SeriesStore({
      maxSeries: opts.maxSeries ?? 10_000,
      retentionMs,
      pointsPerSeries: Math.ceil(retentionMs / this.intervalMs) + 2,
    });
    this.scraper = new Scraper({
      source: opts.source,
      store: this.store,
      intervalMs: this.intervalMs,
      now: opts.now,
    });
    this.minRateWindowSeconds = Math.ceil((this.intervalMs * 4) / 1000);
  }

  start(): void {
    this.scraper.start();
  }

  stop(): Promise<void> {
    return this.scraper.stop();
  }

  async trafficRates(endMs: number, windowSeconds: number): Promise<TrafficRates> {
    const w = windowSeconds * 1000;
    return {
      requests: sumBy(this.store.rates('istio_requests_total', endMs, w), GRAPH_REQUEST_LABELS),
      durationBuckets: sumBy(this.store.rates('istio_request_duration_milliseconds_bucket', endMs, w), [
        ...GRAPH_LATENCY_LABELS,
        'le',
      ]),
      tcpSent: sumBy(this.store.rates('istio_tcp_sent_bytes_total', endMs, w), GRAPH_TCP_LABELS),
      tcpReceived: sumBy(this.store.rates('istio_tcp_received_bytes_total', endMs, w), GRAPH_TCP_LABELS),
    };
  }

  async serviceRates(q: ServiceRatesQuery): Promise<StepRates[]> {
    const match = (l: Readonly<Record<string, string>>) =>
      l.reporter === q.reporter &&
      l.destination_service_namespace === q.namespace &&
      l.destination_service_name === q.service;
    const requests = this.store.select('istio_requests_total', match);
    const buckets = this.store.select('istio_request_duration_milliseconds_bucket', match);
    const w = q.rateWindowSeconds * 1000;
    const out: StepRates[] = [];
    for (let t = q.startMs; t <= q.endMs; t += q.stepSeconds * 1000) {
      out.push({
        tMs: t,
        requests: sumBy(ratesOf(requests, t, w), SERVICE_REQUEST_LABELS),
        durationBuckets: sumBy(ratesOf(buckets, t, w), SERVICE_LATENCY_LABELS),
      });
    }
    return out;
  }

  scraperStatus(): TelemetryStatus['scraper'] {
    const health = [...this.scraper.targetHealth().values()];
    return {
      targets: this.opts.source.targets().length,
      healthyTargets: health.filter((h) => h.up).length,
      seriesHeld: this.store.size,
      maxSeries: this.store.maxSeries,
      droppedSeries: this.store.dropped,
      intervalSeconds: this.intervalMs / 1000,
      lastScrapeMs: this.scraper.lastScrapeMs,
    };
  }
}
