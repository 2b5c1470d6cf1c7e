// PLACEHOLDER until the validation work lands: the signatures are the contract.
import type { MeshKind } from '../kinds';
import type { MeshSnapshot } from '../snapshot';
import type { AnalysisMessage, ValidationResult } from '../validation-types';

/** Parses and validates one object (any served apiVersion of a mesh kind); every problem at once. */
export function validateResource(obj: unknown): ValidationResult {
  return {
    valid: false,
    causes: [{ reason: 'FieldValueInvalid', field: '', message: `not implemented: ${typeof obj}` }],
  };
}

/** Mesh-wide, non-blocking findings (istioctl analyze / Kiali KIA style). */
export function analyze(_snapshot: MeshSnapshot): AnalysisMessage[] {
  return [];
}

/** The OpenAPI v3 / CRD openAPIV3Schema for a kind's whole object, generated from the zod schema. */
export function openApiSchemaFor(_kind: MeshKind): Record<string, unknown> {
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}
