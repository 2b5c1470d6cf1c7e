import { z } from 'zod';

/**
 * Only the fields the overview reads, parsed at the edge. Objects are not strict: the control
 * plane may add fields without breaking an older console.
 */

const goldenSignals = z.object({
  rps: z.number(),
  errorRate: z.number().nullable(),
  p50Ms: z.number().nullable().optional(),
  p95Ms: z.number().nullable().optional(),
  p99Ms: z.number().nullable(),
});

/** A subset of ServiceGraph from @trellis/shared/telemetry-api. */
export const graphSchema = z.object({
  backend: z.string(),
  window: z.object({ startMs: z.number(), endMs: z.number(), windowSeconds: z.number() }),
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['workload', 'service', 'unknown']),
      namespace: z.string(),
      workload: z.string().optional(),
      app: z.string().optional(),
      version: z.string().optional(),
      inbound: goldenSignals,
    }),
  ),
});
export type GraphSubset = z.infer<typeof graphSchema>;

/**
 * One proxy in the control plane's sync list (ProxyStatus in apps/controlplane/src/xds/status.ts,
 * like `istioctl proxy-status`). `version` there is the config version the proxy ACKed; the
 * workload's version is `labels.version`.
 */
const proxyEntry = z.object({
  id: z.string().optional(),
  workload: z.string(),
  namespace: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
  state: z.string(),
  version: z.string().optional(),
  lastError: z.string().nullable().optional(),
});
export type ProxyEntry = z.infer<typeof proxyEntry>;

/** GET /api/v1/mesh/proxies answers a bare list (docs/config-push.md). */
export const proxiesSchema = z.array(proxyEntry);
