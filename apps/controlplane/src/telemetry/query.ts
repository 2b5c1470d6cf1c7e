/**
 * Query parameters of the telemetry API, parsed at the edge into typed requests; anything
 * malformed is a 400 Status naming the parameter.
 */
import { parseDuration, type TraceQuery } from '@trellis/shared';
import { Errors, StatusError } from '../errors';
import type { GraphRequest, ServiceMetricsRequest } from './telemetry';

const bad = (message: string) => new StatusError(Errors.badRequest(message));

/** "60s", "5m", "1h30m" or plain seconds ("60"), to whole seconds within [min, max]. */
export function seconds(
  name: string,
  raw: string | null,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === null || raw === '') return fallback;
  let s: number;
  if (/^\d+(\.\d+)?$/.test(raw)) s = Number(raw);
  else {
    const d = parseDuration(raw);
    if (!d.ok) throw bad(`${name}: ${d.message}`);
    s = d.ms / 1000;
  }
  if (!(s >= min && s <= max)) throw bad(`${name} must be between ${min}s and ${max}s, got "${raw}"`);
  return Math.round(s);
}

function msParam(name: string, raw: string | null): number | undefined {
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw bad(`${name} must be milliseconds since the epoch, got "${raw}"`);
  return n;
}

function numberParam(name: string, raw: string | null): number | undefined {
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw bad(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

function boolParam(name: string, raw: string | null): boolean | undefined {
  if (raw === null || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw bad(`${name} must be true or false, got "${raw}"`);
}

/** The longest window the built-in backend keeps by default (15 min) is the API's cap too. */
export const MAX_WINDOW_SECONDS = 6 * 3600;

export function graphRequest(url: URL): GraphRequest {
  const namespaces = (url.searchParams.get('namespace') ?? url.searchParams.get('namespaces') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const req: GraphRequest = {
    windowSeconds: seconds('window', url.searchParams.get('window'), 60, 1, MAX_WINDOW_SECONDS),
    namespaces,
  };
  const end = msParam('end', url.searchParams.get('end'));
  if (end !== undefined) req.endMs = end;
  return req;
}

export function serviceMetricsRequest(url: URL, namespace: string, service: string): ServiceMetricsRequest {
  const reporter = url.searchParams.get('reporter') ?? 'destination';
  if (reporter !== 'source' && reporter !== 'destination')
    throw bad(`reporter must be source or destination, got "${reporter}"`);
  const rangeSeconds = seconds('range', url.searchParams.get('range'), 1800, 10, MAX_WINDOW_SECONDS);
  const req: ServiceMetricsRequest = {
    namespace,
    service,
    reporter,
    rangeSeconds,
    stepSeconds: seconds(
      'step',
      url.searchParams.get('step'),
      Math.max(15, Math.ceil(rangeSeconds / 120)),
      1,
      3600,
    ),
  };
  const end = msParam('end', url.searchParams.get('end'));
  if (end !== undefined) req.endMs = end;
  return req;
}

export function traceQuery(url: URL): TraceQuery {
  const p = url.searchParams;
  const q: TraceQuery = {};
  const service = p.get('service');
  if (service) q.service = service;
  const operation = p.get('operation');
  if (operation) q.operation = operation;
  const min = numberParam('minDurationMs', p.get('minDurationMs'));
  if (min !== undefined) q.minDurationMs = min;
  const max = numberParam('maxDurationMs', p.get('maxDurationMs'));
  if (max !== undefined) q.maxDurationMs = max;
  const error = boolParam('error', p.get('error'));
  if (error !== undefined) q.error = error;
  const start = msParam('start', p.get('start'));
  if (start !== undefined) q.startMs = start;
  const end = msParam('end', p.get('end'));
  if (end !== undefined) q.endMs = end;
  const limit = numberParam('limit', p.get('limit'));
  if (limit !== undefined) q.limit = limit;
  return q;
}
