import 'server-only';
import { TELEMETRY_PATHS } from '@trellis/shared/telemetry-api';
import { getControlPlane } from '@/lib/control-plane';
import type { ConsoleErrorBody } from '@/lib/errors';
import type { TopologyResponse } from '../types';
import type { TopologyParams } from './params';
import { serviceGraphSchema } from './schemas';
import { buildTopology } from './view-model';

export type TopologyResult = { ok: true; data: TopologyResponse } | { ok: false; error: ConsoleErrorBody };

/**
 * The whole graph is read and the namespace applied here (with the control plane's own rule), so
 * the filter can still list every namespace; one read per refresh either way.
 */
export async function loadTopology(params: TopologyParams): Promise<TopologyResult> {
  const graph = await getControlPlane(TELEMETRY_PATHS.graph, serviceGraphSchema, {
    search: { window: `${params.windowSeconds}s` },
  });
  if (!graph.ok) return graph;
  return {
    ok: true,
    data: buildTopology(graph.data, { namespace: params.namespace, generatedAtMs: Date.now() }),
  };
}
