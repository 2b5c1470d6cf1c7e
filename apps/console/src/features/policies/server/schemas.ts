import type { MeshKind } from '@trellis/shared/kinds';
import { z } from 'zod';

/**
 * What the studio reads from the control plane, parsed at the edge. Objects are loose: the
 * control plane may add fields without breaking an older console, and the spec is the control
 * plane's business (it validated it).
 */
const kindSchema = z.enum([
  'VirtualService',
  'DestinationRule',
  'PeerAuthentication',
  'AuthorizationPolicy',
] as const satisfies readonly MeshKind[]);

export const meshResourceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: kindSchema,
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    generation: z.number().optional(),
    creationTimestamp: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.unknown(),
});
export type MeshObject = z.infer<typeof meshResourceSchema>;

export const resourceListSchema = z.object({
  metadata: z.object({ resourceVersion: z.string().optional() }).optional(),
  items: z.array(meshResourceSchema),
});

const verbSchema = z.enum(['create', 'update', 'patch', 'apply', 'delete']);

/** HistoryList of @trellis/shared/history-api. */
export const historyListSchema = z.object({
  kind: z.literal('HistoryList'),
  resourceVersion: z.string(),
  items: z.array(
    z.object({
      resourceVersion: z.string(),
      time: z.string(),
      actor: z.string(),
      verb: verbSchema,
      kind: kindSchema,
      namespace: z.string(),
      name: z.string(),
      before: meshResourceSchema.nullable(),
      after: meshResourceSchema.nullable(),
    }),
  ),
});

/** RevertResult of @trellis/shared/history-api. */
export const revertResultSchema = z.object({
  kind: z.literal('RevertResult'),
  reverted: z.string(),
  action: z.enum(['create', 'update', 'delete']),
  changed: z.boolean(),
  dryRun: z.boolean(),
  resourceVersion: z.string().nullable(),
  object: meshResourceSchema,
  warnings: z.array(z.string()),
});
