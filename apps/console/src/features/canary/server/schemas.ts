import { z } from 'zod';

/**
 * The parts of VirtualService and DestinationRule objects the canary page reads. Loose objects:
 * unknown fields are kept, because the apply route writes the object back whole (PUT) and must
 * not drop what it does not understand.
 */
const destination = z.looseObject({
  host: z.string().optional(),
  subset: z.string().optional(),
});
const routeDestination = z.looseObject({
  destination: destination.optional(),
  weight: z.number().optional(),
});
const stringMatch = z.looseObject({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});
const httpMatch = z.looseObject({
  uri: stringMatch.optional(),
  headers: z.record(z.string(), stringMatch).optional(),
  port: z.number().optional(),
  sourceLabels: z.record(z.string(), z.string()).optional(),
});
export const httpRouteSchema = z.looseObject({
  name: z.string().optional(),
  match: z.array(httpMatch).optional(),
  route: z.array(routeDestination).optional(),
});
const metadata = z.looseObject({
  name: z.string(),
  namespace: z.string(),
  resourceVersion: z.string(),
});

export const virtualServiceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.literal('VirtualService'),
  metadata,
  spec: z.looseObject({
    hosts: z.array(z.string()).optional(),
    http: z.array(httpRouteSchema).optional(),
  }),
});
export type VirtualServiceObject = z.infer<typeof virtualServiceSchema>;
export type HttpRoute = z.infer<typeof httpRouteSchema>;

export const virtualServiceListSchema = z.object({ items: z.array(virtualServiceSchema) });

const destinationRule = z.looseObject({
  metadata,
  spec: z.looseObject({
    host: z.string().optional(),
    subsets: z
      .array(z.looseObject({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }))
      .optional(),
  }),
});
export type DestinationRuleObject = z.infer<typeof destinationRule>;
export const destinationRuleSchema = destinationRule;
export const destinationRuleListSchema = z.object({ items: z.array(destinationRule) });

const signals = z.object({ rps: z.number() });
/** The subset of ServiceGraph (@trellis/shared/telemetry-api) the observed split needs. */
export const canaryGraphSchema = z.object({
  window: z.object({ windowSeconds: z.number() }),
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['workload', 'service', 'unknown']),
      namespace: z.string(),
      workload: z.string().optional(),
      app: z.string().optional(),
      version: z.string().optional(),
      services: z.array(z.string()).optional(),
      inbound: signals,
    }),
  ),
  edges: z.array(
    z.object({
      source: z.string(),
      target: z.string(),
      destinationService: z.string(),
      rps: z.number(),
    }),
  ),
});
export type CanaryGraph = z.infer<typeof canaryGraphSchema>;
