import { z } from 'zod';

/**
 * Building blocks shared by the Istio kinds. Field names and shapes follow Istio's protos as
 * they appear in YAML (camelCase). Numbers that Istio range-checks (weights, ports,
 * percentages) are plain integers or numbers here: the range rules live in ../validation so
 * that each problem is reported with Istio's wording and a field path, not as a type error.
 */

/** A protobuf Duration as YAML writes it: "1s", "0.5s", "100ms". Parsed by ../duration. */
export const DurationSchema = z.string().describe('A duration such as "1s", "0.5s" or "100ms".');

/** Kubernetes ObjectMeta as clients send it; Trellis keeps the listed fields. */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** Istio's StringMatch: exactly one of exact, prefix or regex (RE2). */
export const StringMatchSchema = z.object({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});

export const StringMapSchema = z.record(z.string(), z.string());

/** istio.type.v1beta1.WorkloadSelector */
export const WorkloadSelectorSchema = z.object({
  matchLabels: StringMapSchema.optional(),
});

/** istio.type.v1beta1.PolicyTargetReference (Gateway API style attachment). */
export const PolicyTargetReferenceSchema = z.object({
  group: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
});

/** A percentage as a double in [0, 100]. */
export const PercentSchema = z.object({
  value: z.number().optional(),
});

export const PortSelectorSchema = z.object({
  number: z.number().int().optional(),
});

export type DurationString = z.infer<typeof DurationSchema>;
export type ObjectMetaInput = z.infer<typeof ObjectMetaSchema>;
export type IstioStringMatch = z.infer<typeof StringMatchSchema>;
export type WorkloadSelector = z.infer<typeof WorkloadSelectorSchema>;
export type PolicyTargetReference = z.infer<typeof PolicyTargetReferenceSchema>;
export type Percent = z.infer<typeof PercentSchema>;
export type PortSelector = z.infer<typeof PortSelectorSchema>;
