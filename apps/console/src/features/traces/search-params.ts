/**
 * The trace search is view state: every filter lives in the URL (?service=&operation=&minDurationMs=
 * &errors=1&lookback=1h&limit=20), so a search can be shared and survives reloads. Parsed the same
 * way on the server (route, prefetch) and in the browser (form); a bad value falls back to its
 * default instead of failing the page.
 */
export const LOOKBACKS = ['5m', '15m', '30m', '1h', '3h'] as const;
export type Lookback = (typeof LOOKBACKS)[number];
export const DEFAULT_LOOKBACK: Lookback = '1h';
const LOOKBACK_MS: Record<Lookback, number> = {
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '30m': 30 * 60_000,
  '1h': 60 * 60_000,
  '3h': 3 * 60 * 60_000,
};

export const LIMITS = [20, 50, 100] as const;
export const DEFAULT_LIMIT = 20;

export interface TraceSearch {
  service: string | null;
  operation: string | null;
  minDurationMs: number | null;
  errorsOnly: boolean;
  lookback: Lookback;
  limit: number;
}

export const DEFAULT_SEARCH: TraceSearch = {
  service: null,
  operation: null,
  minDurationMs: null,
  errorsOnly: false,
  lookback: DEFAULT_LOOKBACK,
  limit: DEFAULT_LIMIT,
};

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: ParamSource, name: string): string | null {
  if (params instanceof URLSearchParams) return params.get(name);
  const v = params[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

/** Names as the trace store has them (service.name, span names): printable, bounded. */
function text(raw: string | null): string | null {
  const v = raw?.trim() ?? '';
  const printable = [...v].every((c) => c.charCodeAt(0) >= 0x20);
  return v.length > 0 && v.length <= 256 && printable ? v : null;
}

export function parseTraceSearch(params: ParamSource): TraceSearch {
  const min = Number(read(params, 'minDurationMs') ?? '');
  const limit = Number(read(params, 'limit'));
  const errors = read(params, 'errors');
  const service = text(read(params, 'service'));
  return {
    service,
    // The control plane matches service and operation on the same span: an operation alone is fine too.
    operation: text(read(params, 'operation')),
    minDurationMs: read(params, 'minDurationMs') && Number.isFinite(min) && min > 0 ? min : null,
    errorsOnly: errors === '1' || errors === 'true',
    lookback: LOOKBACKS.find((l) => l === read(params, 'lookback')) ?? DEFAULT_LOOKBACK,
    limit: LIMITS.find((l) => l === limit) ?? DEFAULT_LIMIT,
  };
}

/** The canonical query string (defaults left out, fixed order): the URL and the react-query key. */
export function traceSearchQueryString(s: TraceSearch): string {
  const q = new URLSearchParams();
  if (s.service) q.set('service', s.service);
  if (s.operation) q.set('operation', s.operation);
  if (s.minDurationMs !== null) q.set('minDurationMs', String(s.minDurationMs));
  if (s.errorsOnly) q.set('errors', '1');
  if (s.lookback !== DEFAULT_LOOKBACK) q.set('lookback', s.lookback);
  if (s.limit !== DEFAULT_LIMIT) q.set('limit', String(s.limit));
  return q.toString();
}

/** The control plane's parameters (docs/telemetry.md): the lookback becomes a start time at request time. */
export function controlPlaneTraceQuery(s: TraceSearch, nowMs: number): Record<string, string> {
  const q: Record<string, string> = {
    start: String(nowMs - LOOKBACK_MS[s.lookback]),
    limit: String(s.limit),
  };
  if (s.service) q.service = s.service;
  if (s.operation) q.operation = s.operation;
  if (s.minDurationMs !== null) q.minDurationMs = String(s.minDurationMs);
  if (s.errorsOnly) q.error = 'true';
  return q;
}

/** W3C trace ids: 32 lower-case hex digits (the store's ids; upper case accepted and folded). */
export function normaliseTraceId(raw: string): string | null {
  return /^[0-9a-fA-F]{32}$/.test(raw) ? raw.toLowerCase() : null;
}
