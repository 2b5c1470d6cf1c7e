import { z } from 'zod';

/**
 * One proxy in the control plane's sync list (ProxyStatus in apps/controlplane/src/xds/status.ts,
 * docs/config-push.md), as the proxies and service pages read it. Parsed at the edge; not strict,
 * so the control plane may add fields, and what an older control plane lacks (services, pushes)
 * is optional.
 */
const proxyStatus = z.object({
  id: z.string(),
  workload: z.string(),
  namespace: z.string(),
  labels: z.record(z.string(), z.string()).optional(),
  services: z.array(z.object({ name: z.string(), port: z.number() })).optional(),
  /** The config version the proxy ACKed; "" before its first ACK. */
  version: z.string().optional(),
  sentVersion: z.string().optional(),
  state: z.string(),
  lastAckTime: z.string().nullable().optional(),
  lastError: z.string().nullable().optional(),
  connectedAt: z.string().nullable().optional(),
  disconnectedAt: z.string().nullable().optional(),
  proxyVersion: z.string().optional(),
  pushes: z.number().optional(),
});
export type ProxyStatusWire = z.infer<typeof proxyStatus>;

/** GET /api/v1/mesh/proxies answers a bare list. */
export const proxyStatusListSchema = z.array(proxyStatus);
