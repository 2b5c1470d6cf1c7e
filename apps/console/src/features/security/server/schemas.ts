import { z } from 'zod';

const metadata = z.looseObject({
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
  creationTimestamp: z.string().optional(),
});

export const peerAuthenticationSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('PeerAuthentication'),
  metadata,
  spec: z.looseObject({
    selector: z.looseObject({ matchLabels: z.record(z.string(), z.string()).optional() }).optional(),
    mtls: z.looseObject({ mode: z.string().optional() }).optional(),
  }),
});
export type PeerAuthenticationObject = z.infer<typeof peerAuthenticationSchema>;
export const peerAuthenticationListSchema = z.object({ items: z.array(peerAuthenticationSchema) });

/** The subset of ServiceGraph (@trellis/shared/telemetry-api) the plaintext preview needs. */
export const securityGraphSchema = z.object({
  window: z.object({ windowSeconds: z.number() }),
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['workload', 'service', 'unknown']),
      namespace: z.string(),
      workload: z.string().optional(),
    }),
  ),
  edges: z.array(
    z.object({
      source: z.string(),
      target: z.string(),
      destinationService: z.string(),
      rps: z.number(),
      mtlsShare: z.number().nullable(),
    }),
  ),
});
export type SecurityGraph = z.infer<typeof securityGraphSchema>;
