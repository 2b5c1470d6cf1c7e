import type { AttributeValue, TraceSummary } from '@trellis/shared/telemetry-api';
import type { TraceSearch } from './search-params';

/** Wire types of the console's /api/traces routes: decorated views the pages render as they are. */

export interface TraceSearchView {
  search: TraceSearch;
  /** The window searched (trace start times), ms since the epoch. */
  window: { startMs: number; endMs: number };
  /** Newest first, as the control plane sorts them. */
  traces: TraceSummary[];
  limit: number;
  /** True when the store had more matches than `limit`. */
  truncated: boolean;
}

export interface TraceServicesView {
  services: { name: string; operations: string[] }[];
}

export interface WaterfallRow {
  spanId: string;
  parentSpanId: string | null;
  /** 0 for roots; children are one deeper than their parent. */
  depth: number;
  /** Bar position and length as percentages of the whole trace (0–100). */
  offsetPct: number;
  widthPct: number;
  /** ms from the trace's first span to this one. */
  startOffsetMs: number;
  durationMs: number;
  name: string;
  service: string;
  kind: string;
  status: string;
  statusMessage: string | null;
  error: boolean;
  /** Envoy response flags ("FI", "URX", ...) from the response_flags tag, none when "-". */
  responseFlags: string[];
  httpStatus: string | null;
  /** retry.attempt of a client span (1, 2, ...). */
  retryAttempt: number | null;
  /** The span names a parent the trace does not hold (not exported yet, or evicted). */
  orphan: boolean;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  events: { offsetMs: number; name: string; attributes: Record<string, AttributeValue> }[];
  scope: string | null;
}

export interface TraceDetailView {
  summary: TraceSummary;
  startMs: number;
  durationMs: number;
  /** Parents before their children, siblings by start time (a depth-first walk). */
  rows: WaterfallRow[];
  /** Time axis labels. */
  ticks: { pct: number; label: string }[];
}
