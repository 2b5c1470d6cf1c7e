import { request } from 'undici';
import { parsePrometheusText } from './prom-text';
import type { SeriesStore } from './series-store';
import type { ScrapeTarget, TargetSource } from './targets';

/** The only families the built-in backend reads; everything else on a sidecar's page is skipped. */
export const STORED_METRICS: ReadonlySet<string> = new Set([
  'istio_requests_total',
  'istio_request_duration_milliseconds_bucket',
  'istio_tcp_sent_bytes_total',
  'istio_tcp_received_bytes_total',
]);

export interface TargetHealth {
  up: boolean;
  lastScrapeMs: number;
  lastError?: string;
}

export interface ScraperOptions {
  source: TargetSource;
  store: SeriesStore;
  intervalMs: number;
  /** Per-target request timeout; defaults to the interval (capped at 10 s). */
  timeoutMs?: number;
  /** Scrapes in flight at once. */
  concurrency?: number;
  now?: () => number;
}

/**
 * Scrapes every target's /metrics on a fixed interval into the series store, like a minimal
 * Prometheus. Scrapes never overlap: a slow round delays the next instead of piling up.
 */
export class Scraper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly health = new Map<string, TargetHealth>();
  private lastRoundMs: number | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: ScraperOptions) {
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.scrapeOnce().finally(() => {
        this.running = undefined;
        if (this.timer) this.timer = setTimeout(tick, this.opts.intervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  get lastScrapeMs(): number | null {
    return this.lastRoundMs;
  }

  targetHealth(): Map<string, TargetHealth> {
    return new Map(this.health);
  }

  /** One round over all current targets. */
  async scrapeOnce(): Promise<void> {
    const targets = this.opts.source.targets();
    const ids = new Set(targets.map((t) => t.id));
    for (const id of this.health.keys()) if (!ids.has(id)) this.health.delete(id);
    const queue = [...targets];
    const workers = Array.from({ length: Math.min(this.opts.concurrency ?? 8, queue.length) }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await this.scrapeTarget(t);
    });
    await Promise.all(workers);
    const now = this.now();
    this.opts.store.prune(now);
    this.lastRoundMs = now;
  }

  private async scrapeTarget(target: ScrapeTarget): Promise<void> {
    const started = this.now();
    const timeout = this.opts.timeoutMs ?? Math.min(this.opts.intervalMs, 10_000);
    try {
      const res = await request(`http://${target.address}/metrics`, {
        headersTimeout: timeout,
        bodyTimeout: timeout,
        headers: { accept: 'text/plain;version=0.0.4' },
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      const samples = parsePrometheusText(text, (name) => STORED_METRICS.has(name));
      this.opts.store.ingest(target.address, started, samples);
      this.health.set(target.id, { up: true, lastScrapeMs: started });
    } catch (err) {
      this.health.set(target.id, {
        up: false,
        lastScrapeMs: started,
        lastError: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
