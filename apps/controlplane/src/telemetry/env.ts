/**
 * Telemetry settings from the environment, so `trellis controlplane` (and the Helm chart) can set
 * them without code: see docs/telemetry.md for the list. Bad values fail start-up with a message
 * naming the variable rather than being ignored.
 */
import { type MeshSettings, type OtlpProtocol, parseDuration } from '@trellis/shared';

export class TelemetryEnvError extends Error {
  override readonly name = 'TelemetryEnvError';
}

type Env = Readonly<Record<string, string | undefined>>;

function durationMs(env: Env, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const d = parseDuration(v);
  if (!d.ok || d.ms <= 0)
    throw new TelemetryEnvError(`${name}: expected a duration such as "5s" or "15m", got "${v}"`);
  return d.ms;
}

function positiveInt(env: Env, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new TelemetryEnvError(`${name}: expected a positive integer, got "${v}"`);
  return n;
}

export interface TelemetryEnv {
  prometheusUrl?: string;
  prometheusScrapeIntervalSeconds?: number;
  scrapeIntervalMs?: number;
  retentionMs?: number;
  maxSeries?: number;
  traceMaxSpans?: number;
  traceMaxAgeMs?: number;
}

export function telemetryFromEnv(env: Env = process.env): TelemetryEnv {
  const out: TelemetryEnv = {};
  const url = env.TRELLIS_PROMETHEUS_URL;
  if (url) {
    if (!/^https?:\/\/[^/]+/.test(url))
      throw new TelemetryEnvError(`TRELLIS_PROMETHEUS_URL: expected http(s)://host:port, got "${url}"`);
    out.prometheusUrl = url;
  }
  const promInterval = durationMs(env, 'TRELLIS_PROMETHEUS_SCRAPE_INTERVAL');
  if (promInterval !== undefined) out.prometheusScrapeIntervalSeconds = promInterval / 1000;
  const scrape = durationMs(env, 'TRELLIS_SCRAPE_INTERVAL');
  if (scrape !== undefined) out.scrapeIntervalMs = scrape;
  const retention = durationMs(env, 'TRELLIS_METRICS_RETENTION');
  if (retention !== undefined) out.retentionMs = retention;
  const series = positiveInt(env, 'TRELLIS_METRICS_MAX_SERIES');
  if (series !== undefined) out.maxSeries = series;
  const spans = positiveInt(env, 'TRELLIS_TRACES_MAX_SPANS');
  if (spans !== undefined) out.traceMaxSpans = spans;
  const age = durationMs(env, 'TRELLIS_TRACES_MAX_AGE');
  if (age !== undefined) out.traceMaxAgeMs = age;
  return out;
}

/**
 * Tracing settings pushed to every sidecar: TRELLIS_TRACING_SAMPLING (percent, 0–100),
 * TRELLIS_TRACING_OTLP_ENDPOINT (export to any OTLP/HTTP collector instead of the built-in
 * one, e.g. Jaeger's http://host:4318/v1/traces), TRELLIS_TRACING_OTLP_PROTOCOL.
 */
export function tracingFromEnv(env: Env = process.env): Partial<MeshSettings['tracing']> {
  const out: Partial<MeshSettings['tracing']> = {};
  const sampling = env.TRELLIS_TRACING_SAMPLING;
  if (sampling !== undefined && sampling !== '') {
    const n = Number(sampling);
    if (!Number.isFinite(n) || n < 0 || n > 100)
      throw new TelemetryEnvError(`TRELLIS_TRACING_SAMPLING: expected a percentage 0-100, got "${sampling}"`);
    out.samplingPercent = n;
  }
  const endpoint = env.TRELLIS_TRACING_OTLP_ENDPOINT;
  if (endpoint) out.otlpEndpoint = endpoint;
  const protocol = env.TRELLIS_TRACING_OTLP_PROTOCOL;
  if (protocol) {
    if (protocol !== 'http/protobuf' && protocol !== 'http/json')
      throw new TelemetryEnvError(
        `TRELLIS_TRACING_OTLP_PROTOCOL: expected http/protobuf or http/json, got "${protocol}"`,
      );
    out.otlpProtocol = protocol as OtlpProtocol;
  }
  return out;
}
