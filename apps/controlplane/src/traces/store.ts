import type {
  TelemetryStatus,
  TraceDetail,
  TraceQuery,
  TraceSearchResponse,
  TraceServicesResponse,
  TraceSpan,
  TraceSummary,
} from '@trellis/shared';

export interface TraceStoreOptions {
  /** Most spans held across all traces (default 50,000). */
  maxSpans?: number;
  /** Traces whose newest span arrived longer ago are evicted (default 30 min). */
  maxAgeMs?: number;
  /** Most spans kept for one trace (default 10,000, at most maxSpans); later ones are refused. */
  maxSpansPerTrace?: number;
  now?: () => number;
}

interface StoredTrace {
  traceId: string;
  spans: TraceSpan[];
  spanIds: Set<string>;
  /** Arrival time of the newest span (store clock). */
  updatedMs: number;
  summary?: TraceSummary;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 500;

/**
 * The built-in trace store: in memory, bounded by span count and by age. Whole traces are
 * evicted, least recently updated first, so a trace is either complete as received or gone.
 * A Map keeps traces in update order (an update moves a trace to the end), so eviction is
 * O(evicted).
 */
export class TraceStore {
  private readonly traces = new Map<string, StoredTrace>();
  private spanCount = 0;
  private evicted = 0;
  private received = 0;
  private readonly maxSpans: number;
  private readonly maxAgeMs: number;
  private readonly maxSpansPerTrace: number;
  private readonly now: () => number;

  constructor(opts: TraceStoreOptions = {}) {
    this.maxSpans = opts.maxSpans ?? 50_000;
    this.maxAgeMs = opts.maxAgeMs ?? 30 * 60_000;
    this.maxSpansPerTrace = Math.min(opts.maxSpansPerTrace ?? 10_000, this.maxSpans);
    this.now = opts.now ?? Date.now;
  }

  /** Adds spans; returns how many were refused (duplicates are accepted silently, once). */
  add(spans: readonly TraceSpan[]): { accepted: number; refused: number } {
    const now = this.now();
    let accepted = 0;
    let refused = 0;
    for (const span of spans) {
      this.received++;
      let trace = this.traces.get(span.traceId);
      if (trace) this.traces.delete(span.traceId);
      else trace = { traceId: span.traceId, spans: [], spanIds: new Set(), updatedMs: now };
      this.traces.set(span.traceId, trace);
      trace.updatedMs = now;
      if (trace.spanIds.has(span.spanId)) continue;
      if (trace.spans.length >= this.maxSpansPerTrace) {
        refused++;
        this.evicted++;
        continue;
      }
      trace.spans.push(span);
      trace.spanIds.add(span.spanId);
      trace.summary = undefined;
      this.spanCount++;
      accepted++;
    }
    this.evict(now);
    return { accepted, refused };
  }

  private evict(now: number): void {
    const cutoff = now - this.maxAgeMs;
    for (const trace of this.traces.values()) {
      if (trace.updatedMs >= cutoff && this.spanCount <= this.maxSpans) break;
      this.traces.delete(trace.traceId);
      this.spanCount -= trace.spans.length;
      this.evicted += trace.spans.length;
    }
  }

  get size(): { spans: number; traces: number } {
    this.evict(this.now());
    return { spans: this.spanCount, traces: this.traces.size };
  }

  stats(): TelemetryStatus['traces'] {
    const { spans, traces } = this.size;
    return {
      spans,
      traces,
      maxSpans: this.maxSpans,
      maxAgeSeconds: this.maxAgeMs / 1000,
      evictedSpans: this.evicted,
      receivedSpans: this.received,
    };
  }

  get(traceId: string): TraceDetail | undefined {
    this.evict(this.now());
    const trace = this.traces.get(traceId.toLowerCase());
    if (!trace) return undefined;
    return { summary: summarize(trace), spans: orderSpans(trace.spans) };
  }

  search(q: TraceQuery): TraceSearchResponse {
    this.evict(this.now());
    const limit = Math.min(Math.max(1, Math.floor(q.limit ?? DEFAULT_SEARCH_LIMIT)), MAX_SEARCH_LIMIT);
    const hits: TraceSummary[] = [];
    for (const trace of this.traces.values()) {
      const s = summarize(trace);
      if (q.minDurationMs !== undefined && s.durationMs < q.minDurationMs) continue;
      if (q.maxDurationMs !== undefined && s.durationMs > q.maxDurationMs) continue;
      if (q.startMs !== undefined && s.startMs < q.startMs) continue;
      if (q.endMs !== undefined && s.startMs > q.endMs) continue;
      if (q.error !== undefined && q.error !== s.errorCount > 0) continue;
      if (q.service !== undefined || q.operation !== undefined) {
        const match = trace.spans.some(
          (sp) =>
            (q.service === undefined || sp.service === q.service) &&
            (q.operation === undefined || sp.name === q.operation),
        );
        if (!match) continue;
      }
      hits.push(s);
    }
    hits.sort((a, b) => b.startMs - a.startMs || a.traceId.localeCompare(b.traceId));
    return { traces: hits.slice(0, limit), limit };
  }

  services(): TraceServicesResponse {
    this.evict(this.now());
    const ops = new Map<string, Set<string>>();
    for (const trace of this.traces.values()) {
      for (const sp of trace.spans) {
        let set = ops.get(sp.service);
        if (!set) {
          set = new Set();
          ops.set(sp.service, set);
        }
        set.add(sp.name);
      }
    }
    return {
      services: [...ops]
        .map(([name, set]) => ({ name, operations: [...set].sort() }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }
}

function summarize(trace: StoredTrace): TraceSummary {
  if (trace.summary) return trace.summary;
  const ids = trace.spanIds;
  let root: TraceSpan | undefined;
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let errors = 0;
  const perService = new Map<string, number>();
  for (const sp of trace.spans) {
    start = Math.min(start, sp.startMs);
    end = Math.max(end, sp.startMs + sp.durationMs);
    if (sp.status === 'error') errors++;
    perService.set(sp.service, (perService.get(sp.service) ?? 0) + 1);
    // The root: no parent, or a parent we never received; the earliest such wins.
    const isRoot = sp.parentSpanId === undefined || !ids.has(sp.parentSpanId);
    if (isRoot && (!root || sp.startMs < root.startMs || (root.parentSpanId && !sp.parentSpanId))) root = sp;
  }
  const first = root ?? trace.spans[0]!;
  trace.summary = {
    traceId: trace.traceId,
    rootService: first.service,
    rootOperation: first.name,
    startMs: start,
    durationMs: end - start,
    spanCount: trace.spans.length,
    errorCount: errors,
    services: [...perService]
      .map(([name, spanCount]) => ({ name, spanCount }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
  return trace.summary;
}

/** Start order, parents before their children when they start at the same instant. */
function orderSpans(spans: readonly TraceSpan[]): TraceSpan[] {
  const depth = new Map<string, number>();
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const depthOf = (s: TraceSpan, guard = 0): number => {
    const known = depth.get(s.spanId);
    if (known !== undefined) return known;
    const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
    const d = parent && guard < 1000 ? depthOf(parent, guard + 1) + 1 : 0;
    depth.set(s.spanId, d);
    return d;
  };
  return [...spans].sort((a, b) => a.startMs - b.startMs || depthOf(a) - depthOf(b));
}
