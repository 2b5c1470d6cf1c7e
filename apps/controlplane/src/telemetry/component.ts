/**
 * Telemetry in the control plane: the backend (built-in scraper by default, a real Prometheus
 * when TRELLIS_PROMETHEUS_URL or the option is set), the built-in trace store with its OTLP/HTTP
 * receiver, Prometheus service discovery for the sidecars, and the console's telemetry API.
 */
import {
  type ProxyIdentity,
  TELEMETRY_API_PREFIX,
  TELEMETRY_PATHS,
  type TelemetryStatus,
} from '@trellis/shared';
import { sendJson } from '../api/http';
import { Errors, StatusError } from '../errors';
import type { ControlPlaneComponent } from '../server';
import { receiveTraces } from '../traces/receiver';
import { TraceStore, type TraceStoreOptions } from '../traces/store';
import { type TelemetryBackend, TelemetryBackendError } from './backend';
import { BuiltinBackend, type BuiltinBackendOptions } from './builtin-backend';
import { telemetryFromEnv } from './env';
import { PrometheusBackend } from './prometheus-backend';
import { graphRequest, serviceMetricsRequest, traceQuery } from './query';
import { prometheusSdGroups, type TargetSource, targetsFromProxies } from './targets';
import { Telemetry } from './telemetry';

export interface TelemetryComponentOptions {
  /** The connected proxies (the config push's registry). */
  proxies: () => Iterable<ProxyIdentity>;
  /** Query this Prometheus instead of scraping the sidecars ourselves. */
  prometheusUrl?: string;
  prometheusScrapeIntervalSeconds?: number;
  builtin?: Omit<BuiltinBackendOptions, 'source'>;
  traces?: TraceStoreOptions;
  /** Read TRELLIS_* settings from the environment (default true; options win over env). */
  env?: boolean;
}

export interface TelemetryComponent extends ControlPlaneComponent {
  readonly telemetry: Telemetry | undefined;
  readonly traces: TraceStore | undefined;
}

const TRACE_ID = /^[0-9a-fA-F]{32}$/;

export function telemetryComponent(options: TelemetryComponentOptions): TelemetryComponent {
  let telemetry: Telemetry | undefined;
  let traces: TraceStore | undefined;
  return {
    name: 'telemetry',
    get telemetry() {
      return telemetry;
    },
    get traces() {
      return traces;
    },
    start(ctx) {
      const env = options.env === false ? {} : telemetryFromEnv();
      const source: TargetSource = { targets: () => targetsFromProxies(options.proxies()) };
      const prometheusUrl = options.prometheusUrl ?? env.prometheusUrl;
      const backend: TelemetryBackend = prometheusUrl
        ? new PrometheusBackend({
            url: prometheusUrl,
            scrapeIntervalSeconds:
              options.prometheusScrapeIntervalSeconds ?? env.prometheusScrapeIntervalSeconds,
          })
        : new BuiltinBackend({
            source,
            intervalMs: options.builtin?.intervalMs ?? env.scrapeIntervalMs,
            retentionMs: options.builtin?.retentionMs ?? env.retentionMs,
            maxSeries: options.builtin?.maxSeries ?? env.maxSeries,
            now: options.builtin?.now,
          });
      const t = new Telemetry(backend);
      const store = new TraceStore({
        maxSpans: env.traceMaxSpans,
        maxAgeMs: env.traceMaxAgeMs,
        ...options.traces,
      });
      telemetry = t;
      traces = store;
      backend.start();
      ctx.log.info(
        prometheusUrl
          ? `telemetry from Prometheus at ${prometheusUrl}`
          : 'telemetry from the built-in scraper (set TRELLIS_PROMETHEUS_URL to use a Prometheus)',
      );

      const backendCall = async <T>(fn: () => Promise<T>): Promise<T> => {
        try {
          return await fn();
        } catch (err) {
          if (err instanceof TelemetryBackendError) throw new StatusError(Errors.unavailable(err.message));
          throw err;
        }
      };

      const r = ctx.router;
      r.get(TELEMETRY_PATHS.graph, async ({ res, url }) => {
        const req = graphRequest(url);
        sendJson(res, 200, await backendCall(() => t.graph(req)));
      });
      r.get(`${TELEMETRY_API_PREFIX}/services/:namespace/:service/metrics`, async ({ res, url, params }) => {
        const req = serviceMetricsRequest(url, params.namespace!, params.service!);
        sendJson(res, 200, await backendCall(() => t.serviceMetrics(req)));
      });
      r.get(TELEMETRY_PATHS.traces, ({ res, url }) => {
        sendJson(res, 200, store.search(traceQuery(url)));
      });
      r.get(`${TELEMETRY_PATHS.traces}/:traceId`, ({ res, params }) => {
        const id = params.traceId!;
        if (!TRACE_ID.test(id))
          throw new StatusError(Errors.badRequest(`trace id must be 32 hex digits, got "${id}"`));
        const detail = store.get(id);
        if (!detail) throw new StatusError(Errors.notFound({ group: '', resource: 'traces', name: id }));
        sendJson(res, 200, detail);
      });
      r.get(TELEMETRY_PATHS.traceServices, ({ res }) => sendJson(res, 200, store.services()));
      r.get(TELEMETRY_PATHS.status, ({ res }) => {
        const status: TelemetryStatus = {
          backend: backend.kind,
          scraper: t.scraperStatus(),
          traces: store.stats(),
        };
        if (backend instanceof PrometheusBackend) status.prometheusUrl = backend.url;
        sendJson(res, 200, status);
      });
      r.get(TELEMETRY_PATHS.prometheusSd, ({ res }) =>
        sendJson(res, 200, prometheusSdGroups(source.targets())),
      );
      r.post(TELEMETRY_PATHS.otlpTraces, ({ req, res }) => receiveTraces(req, res, store));

      return {
        async stop() {
          await backend.stop();
        },
      };
    },
  };
}
