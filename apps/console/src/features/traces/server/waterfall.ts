// Relative (not @/): node:test runs this file with tsx, which does not read the console's path aliases.
import { formatMs } from '../../../lib/format';
import type { TraceDetailView, WaterfallRow } from '../types';
import type { SpanWire } from './schemas';

function isError(s: SpanWire): boolean {
  const tag = s.attributes.error;
  return s.status === 'error' || tag === true || tag === 'true';
}

/** Envoy's response_flags tag: "-" for none, else comma-joined (docs/telemetry.md). */
function responseFlags(s: SpanWire): string[] {
  const raw = s.attributes.response_flags;
  if (typeof raw !== 'string' || raw === '-' || raw === '') return [];
  return raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '' && f !== '-');
}

function retryAttempt(s: SpanWire): number | null {
  const raw = s.attributes['retry.attempt'];
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

function httpStatus(s: SpanWire): string | null {
  const raw = s.attributes['http.status_code'] ?? s.attributes['http.response.status_code'];
  return typeof raw === 'number' || typeof raw === 'string' ? String(raw) : null;
}

/** Percent of the trace, to 1/10,000 of a percent: finer than any screen, and stable in tests. */
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e4 : 0);

/**
 * The waterfall: a depth-first walk from the roots, children under their parent by start time,
 * each bar placed by start and duration as a share of the whole trace. A span whose parent the
 * trace lacks becomes a root marked orphan; a span on a parent cycle (corrupt ids) is still shown
 * once, as an orphan.
 */
export function layoutWaterfall(spans: SpanWire[]): Omit<TraceDetailView, 'summary' | 'ticks'> {
  if (spans.length === 0) return { startMs: 0, durationMs: 0, rows: [] };
  const startMs = Math.min(...spans.map((s) => s.startMs));
  const endMs = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const total = endMs - startMs;
  const order = new Map(spans.map((s, i) => [s.spanId, i]));
  const byStart = (a: SpanWire, b: SpanWire) =>
    a.startMs - b.startMs || (order.get(a.spanId) ?? 0) - (order.get(b.spanId) ?? 0);

  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, SpanWire[]>();
  const roots: SpanWire[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
      const list = children.get(s.parentSpanId) ?? [];
      list.push(s);
      children.set(s.parentSpanId, list);
    } else roots.push(s);
  }

  const rows: WaterfallRow[] = [];
  const done = new Set<string>();
  const visit = (start: SpanWire, startDepth: number) => {
    // An explicit stack: a trace may hold 10,000 spans, deeper than is wise to recurse.
    const stack: { span: SpanWire; depth: number }[] = [{ span: start, depth: startDepth }];
    while (stack.length > 0) {
      const { span: s, depth } = stack.pop()!;
      if (done.has(s.spanId)) continue;
      done.add(s.spanId);
      // At depth 0 a named parent is one the trace lacks (or a cycle).
      rows.push(rowOf(s, depth, startMs, total, depth === 0 && s.parentSpanId !== undefined));
      const kids = [...(children.get(s.spanId) ?? [])].sort(byStart);
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ span: kids[i]!, depth: depth + 1 });
    }
  };
  for (const r of [...roots].sort(byStart)) visit(r, 0);
  for (const s of [...spans].sort(byStart)) if (!done.has(s.spanId)) visit(s, 0);
  return { startMs, durationMs: total, rows };
}

function rowOf(s: SpanWire, depth: number, traceStart: number, total: number, orphan: boolean): WaterfallRow {
  const offset = s.startMs - traceStart;
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId ?? null,
    depth,
    offsetPct: pct(offset, total),
    widthPct: total > 0 ? pct(s.durationMs, total) : 100,
    startOffsetMs: offset,
    durationMs: s.durationMs,
    name: s.name,
    service: s.service,
    kind: s.kind,
    status: s.status,
    statusMessage: s.statusMessage ?? null,
    error: isError(s),
    responseFlags: responseFlags(s),
    httpStatus: httpStatus(s),
    retryAttempt: retryAttempt(s),
    orphan,
    attributes: s.attributes,
    resource: s.resource,
    events: s.events.map((e) => ({ offsetMs: e.timeMs - s.startMs, name: e.name, attributes: e.attributes })),
    scope: s.scope ?? null,
  };
}

/** Five labels along the time axis: 0, a quarter, ..., the whole trace. */
export function timeTicks(durationMs: number): TraceDetailView['ticks'] {
  return [0, 25, 50, 75, 100].map((p) => ({
    pct: p,
    label: p === 0 ? '0 ms' : formatMs((durationMs * p) / 100),
  }));
}
