import 'server-only';
import { TELEMETRY_PATHS } from '@trellis/shared/telemetry-api';
import { getControlPlane } from '@/lib/control-plane';
import type { ConsoleErrorBody } from '@/lib/errors';
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
  if (!proxies.ok && !graph.ok) {
    // Unreachable says more than "not found" when both went wrong.
    const error = proxies.error.code === 'CONTROL_PLANE_NOT_FOUND' ? graph.error : proxies.error;
    return { ok: false, error };
  }
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
