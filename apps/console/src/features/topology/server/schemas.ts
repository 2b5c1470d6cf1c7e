import { z } from 'zod';

/**
 * ServiceGraph (@trellis/shared/telemetry-api) as the topology reads it, parsed at the edge.
 * Objects are not strict: the control plane may add fields without breaking an older console.
 */

const latency = {
  p50Ms: z.number().nullable().optional(),
  p95Ms: z.number().nullable().optional(),
  p99Ms: z.number().nullable(),
};

const goldenSignals = z.object({ rps: z.number(), errorRate: z.number().nullable(), ...latency });

const graphNode = z.object({
  id: z.string(),
  kind: z.enum(['workload', 'service', 'unknown']),
  namespace: z.string(),
  workload: z.string().optional(),
  app: z.string().optional(),
  version: z.string().optional(),
  services: z.array(z.string()).optional(),
  inbound: goldenSignals,
  outboundRps: z.number().optional(),
});

const graphEdge = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  protocol: z.string(),
  destinationService: z.string(),
  rps: z.number(),
  errorRate: z.number().nullable(),
  ...latency,
  mtlsShare: z.number().nullable(),
  responseCodes: z.record(z.string(), z.number()).optional(),
  responseFlags: z.record(z.string(), z.number()).optional(),
  tcp: z.object({ sentBytesPerSecond: z.number(), receivedBytesPerSecond: z.number() }).optional(),
});

export const serviceGraphSchema = z.object({
  backend: z.string(),
  window: z.object({ startMs: z.number(), endMs: z.number(), windowSeconds: z.number() }),
  nodes: z.array(graphNode),
  edges: z.array(graphEdge),
});

export type GraphInput = z.infer<typeof serviceGraphSchema>;
export type GraphNodeInput = GraphInput['nodes'][number];
export type GraphEdgeInput = GraphInput['edges'][number];
