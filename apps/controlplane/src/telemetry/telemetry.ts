import { fqdn, type ServiceGraph, type ServiceMetrics, type TelemetryStatus } from '@trellis/shared';
import type { TelemetryBackend } from './backend';
import { buildGraph } from './graph';
import { buildServiceMetrics } from './service-metrics';

export interface GraphRequest {
  windowSeconds: number;
  namespaces?: string[];
  /** Defaults to now. */
  endMs?: number;
}

export interface ServiceMetricsRequest {
  namespace: string;
  service: string;
  rangeSeconds: number;
  stepSeconds: number;
  reporter: 'source' | 'destination';
  endMs?: number;
}

/** Most points one series may have (a range/step guard, like Prometheus's 11,000). */
export const MAX_POINTS = 1000;

/** The control plane's one telemetry interface; the backend behind it is built-in or Prometheus. */
export class Telemetry {
  constructor(
    readonly backend: TelemetryBackend,
    private readonly now: () => number = Date.now,
  ) {}

  async graph(req: GraphRequest): Promise<ServiceGraph> {
    const endMs = Math.floor(req.endMs ?? this.now());
    const rates = await this.backend.trafficRates(endMs, req.windowSeconds);
    return buildGraph(rates, {
      backend: this.backend.kind,
      window: { startMs: endMs - req.windowSeconds * 1000, endMs, windowSeconds: req.windowSeconds },
      namespaces: req.namespaces,
    });
  }

  async serviceMetrics(req: ServiceMetricsRequest): Promise<ServiceMetrics> {
    const endMs = Math.floor(req.endMs ?? this.now());
    const stepSeconds = Math.max(req.stepSeconds, Math.ceil(req.rangeSeconds / MAX_POINTS));
    const startMs = endMs - req.rangeSeconds * 1000;
    const steps = await this.backend.serviceRates({
      namespace: req.namespace,
      service: req.service,
      reporter: req.reporter,
      startMs,
      endMs,
      stepSeconds,
      rateWindowSeconds: Math.max(stepSeconds, this.backend.minRateWindowSeconds),
    });
    return buildServiceMetrics(steps, {
      backend: this.backend.kind,
      service: { namespace: req.namespace, name: req.service, hostname: fqdn(req.service, req.namespace) },
      reporter: req.reporter,
      window: { startMs, endMs, windowSeconds: req.rangeSeconds, stepSeconds },
    });
  }

  scraperStatus(): TelemetryStatus['scraper'] {
    return this.backend.scraperStatus();
  }
}
