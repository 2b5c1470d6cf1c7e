import { z } from 'zod';

/** The control plane's trace API (@trellis/shared/telemetry-api), parsed at the edge; not strict. */

const attributeValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.array(z.number()),
  z.array(z.boolean()),
]);
const attributes = z.record(z.string(), attributeValue);

export const traceSummarySchema = z.object({
  traceId: z.string(),
  rootService: z.string(),
  rootOperation: z.string(),
  startMs: z.number(),
  durationMs: z.number(),
  spanCount: z.number(),
  errorCount: z.number(),
  services: z.array(z.object({ name: z.string(), spanCount: z.number() })),
});

export const traceSearchSchema = z.object({ traces: z.array(traceSummarySchema), limit: z.number() });

export const spanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string(),
  kind: z.string(),
  service: z.string(),
  startMs: z.number(),
  durationMs: z.number(),
  status: z.string(),
  statusMessage: z.string().optional(),
  attributes: attributes.default({}),
  resource: attributes.default({}),
  events: z
    .array(z.object({ timeMs: z.number(), name: z.string(), attributes: attributes.default({}) }))
    .default([]),
  scope: z.string().optional(),
});
export type SpanWire = z.infer<typeof spanSchema>;

export const traceDetailSchema = z.object({ summary: traceSummarySchema, spans: z.array(spanSchema) });

export const traceServicesSchema = z.object({
  services: z.array(z.object({ name: z.string(), operations: z.array(z.string()) })),
});
