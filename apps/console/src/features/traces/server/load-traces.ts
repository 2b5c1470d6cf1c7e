import 'server-only';
import { TELEMETRY_PATHS } from '@trellis/shared/telemetry-api';
import { getControlPlane } from '@/lib/control-plane';
import { type ConsoleErrorBody, consoleError } from '@/lib/errors';
import { controlPlaneTraceQuery, normaliseTraceId, type TraceSearch } from '../search-params';
import type { TraceDetailView, TraceSearchView, TraceServicesView } from '../types';
import { traceDetailSchema, traceSearchSchema, traceServicesSchema } from './schemas';
import { layoutWaterfall, timeTicks } from './waterfall';

/** httpStatus: what the console's route answers; 404 only for a trace the store does not hold. */
export type Loaded<T> = { ok: true; data: T } | { ok: false; error: ConsoleErrorBody; httpStatus: number };

const failed = (error: ConsoleErrorBody): Loaded<never> => ({ ok: false, error, httpStatus: 502 });

export async function loadTraceSearch(
  search: TraceSearch,
  nowMs = Date.now(),
): Promise<Loaded<TraceSearchView>> {
  // One more than asked, to tell the page whether the store had more.
  const query = controlPlaneTraceQuery(search, nowMs);
  const res = await getControlPlane(TELEMETRY_PATHS.traces, traceSearchSchema, {
    search: { ...query, limit: String(search.limit + 1) },
  });
  if (!res.ok) return failed(res.error);
  return {
    ok: true,
    data: {
      search,
      window: { startMs: Number(query.start), endMs: nowMs },
      traces: res.data.traces.slice(0, search.limit),
      limit: search.limit,
      truncated: res.data.traces.length > search.limit,
    },
  };
}

export async function loadTraceServices(): Promise<Loaded<TraceServicesView>> {
  const res = await getControlPlane(TELEMETRY_PATHS.traceServices, traceServicesSchema);
  if (!res.ok) return failed(res.error);
  return {
    ok: true,
    data: {
      services: [...res.data.services]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => ({ name: s.name, operations: [...s.operations].sort() })),
    },
  };
}

/**
 * The control plane answers 404 for a trace it does not hold (never stored, or evicted by age or
 * count): the console's route answers 404 too, and the page says the trace is gone.
 */
export async function loadTrace(rawId: string): Promise<Loaded<TraceDetailView>> {
  const traceId = normaliseTraceId(rawId);
  const path = TELEMETRY_PATHS.trace(traceId ?? rawId);
  if (traceId === null)
    return {
      ok: false,
      httpStatus: 404,
      error: consoleError('CONTROL_PLANE_NOT_FOUND', { path, detail: 'not a trace id (32 hex digits)' }),
    };
  const res = await getControlPlane(path, traceDetailSchema);
  if (!res.ok) return { ok: false, error: res.error, httpStatus: res.error.status === 404 ? 404 : 502 };
  const layout = layoutWaterfall(res.data.spans);
  return { ok: true, data: { summary: res.data.summary, ...layout, ticks: timeTicks(layout.durationMs) } };
}
