import type { MeshKind } from './kinds';

/** Kubernetes ObjectMeta, the fields Trellis keeps. */
export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A stored mesh object. `spec` is typed per kind by the schemas in ./resources. */
export interface MeshResource<S = unknown> {
  apiVersion: string;
  kind: MeshKind;
  metadata: ObjectMeta;
  spec: S;
}

export interface ResourceRef {
  kind: MeshKind;
  namespace: string;
  name: string;
}

export function refOf(r: Pick<MeshResource, 'kind' | 'metadata'>): ResourceRef {
  return { kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name };
}

export function refKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}
