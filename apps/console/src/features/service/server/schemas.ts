import { z } from 'zod';

/**
 * What the service page reads from the control plane, parsed at the edge. Objects are not
 * strict: a newer control plane may add fields without breaking this console.
 */

const point = z.object({
  tMs: z.number(),
  rps: z.number(),
  errorRate: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});
export type MetricsPoint = z.infer<typeof point>;

const series = z.object({
  version: z.string().optional(),
  workload: z.string().optional(),
  points: z.array(point),
});
export type MetricsSeries = z.infer<typeof series>;

/** ServiceMetrics from @trellis/shared/telemetry-api. */
export const serviceMetricsSchema = z.object({
  backend: z.string(),
  service: z.object({ namespace: z.string(), name: z.string(), hostname: z.string() }),
  reporter: z.enum(['source', 'destination']),
  window: z.object({ startMs: z.number(), endMs: z.number(), stepSeconds: z.number() }),
  total: series,
  versions: z.array(series),
});
export type ServiceMetricsWire = z.infer<typeof serviceMetricsSchema>;

/**
 * One object of a Kubernetes-style list. Everything is kept (looseObject) because the page shows
 * the object as stored; only the fields the page matches on are typed.
 */
const meshObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string(),
    generation: z.number().optional(),
    creationTimestamp: z.string().optional(),
  }),
  spec: z.record(z.string(), z.unknown()),
});
export type MeshObjectWire = z.infer<typeof meshObject>;

export const meshListSchema = z.looseObject({ items: z.array(meshObject) });
