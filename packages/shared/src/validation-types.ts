import type { MeshResource, ResourceRef } from './resource';

/**
 * One problem with an object, shaped like a Kubernetes StatusCause so the API can return it
 * unchanged. `field` is a Kubernetes field path: `spec.http[0].route[1].weight`.
 */
export interface FieldCause {
  reason: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueNotSupported';
  field: string;
  message: string;
}

/** A single object's validation: every problem at once, or the parsed object and its warnings. */
export type ValidationResult =
  | { valid: true; resource: MeshResource; warnings: string[] }
  | { valid: false; causes: FieldCause[] };

/**
 * A finding of the mesh-wide analysis, like `istioctl analyze` (IST codes) and Kiali's KIA
 * checks. Never blocks a write.
 */
export interface AnalysisMessage {
  /** Stable code, e.g. IST0101 (ReferencedResourceNotFound). */
  code: string;
  level: 'Error' | 'Warning' | 'Info';
  resource: ResourceRef;
  field?: string;
  message: string;
}
