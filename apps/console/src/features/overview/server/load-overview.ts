import 'server-only';
import { TELEMETRY_PATHS } from '@trellis/shared/telemetry-api';
import { getControlPlane } from '@/lib/control-plane';
import type { ConsoleErrorBody, ConsoleErrorCode } from '@/lib/errors';
import type { OverviewResponse } from '../types';
import { mergeOverview } from './merge';
import { graphSchema, proxiesSchema } from './schemas';

/** The control plane's proxy sync list (like `istioctl proxy-status`). */
export const PROXIES_PATH = '/api/v1/mesh/proxies';
/** Live numbers are averaged over the last minute, as Kiali's default graph does. */
export const OVERVIEW_WINDOW_SECONDS = 60;

export type OverviewResult = { ok: true; data: OverviewResponse } | { ok: false; error: ConsoleErrorBody };

/** Both sources in parallel; the page is useful with either, and an error only when both fail. */
export async function loadOverview(): Promise<OverviewResult> {
  const [proxies, graph] = await Promise.all([
    getControlPlane(PROXIES_PATH, proxiesSchema),
    getControlPlane(TELEMETRY_PATHS.graph, graphSchema, {
      search: { window: `${OVERVIEW_WINDOW_SECONDS}s` },
    }),
  ]);
  if (!proxies.ok && !graph.ok) return { ok: false, error: bothFailed(proxies.error, graph.error) };
  return {
    ok: true,
    data: {
      generatedAtMs: Date.now(),
      windowSeconds: graph.ok ? graph.data.window.windowSeconds : OVERVIEW_WINDOW_SECONDS,
      telemetryBackend: graph.ok ? graph.data.backend : null,
      sources: {
        proxies: proxies.ok ? { ok: true } : { ok: false, error: proxies.error },
        telemetry: graph.ok ? { ok: true } : { ok: false, error: graph.error },
      },
      workloads: mergeOverview(proxies.ok ? proxies.data : null, graph.ok ? graph.data : null),
    },
  };
}

/** The more fundamental failure leads: an unreachable server explains a missing API, not the reverse. */
const PRIORITY: ConsoleErrorCode[] = [
  'CONTROL_PLANE_UNREACHABLE',
  'CONTROL_PLANE_TIMEOUT',
  'CONTROL_PLANE_ERROR',
  'CONTROL_PLANE_BAD_RESPONSE',
  'CONTROL_PLANE_NOT_FOUND',
];

function bothFailed(a: ConsoleErrorBody, b: ConsoleErrorBody): ConsoleErrorBody {
  if (a.code === b.code) return { ...a, path: [a.path, b.path].filter(Boolean).join(', ') };
  const [lead, other] = PRIORITY.indexOf(a.code) <= PRIORITY.indexOf(b.code) ? [a, b] : [b, a];
  const also = `also ${other.path ?? 'another API'}: ${other.code}`;
  return { ...lead, detail: lead.detail ? `${lead.detail}; ${also}` : also };
}
