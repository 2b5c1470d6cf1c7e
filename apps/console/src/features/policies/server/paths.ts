import { KINDS, type KindInfo, type MeshKind } from '@trellis/shared/kinds';
import type { PolicyRef } from '../model/ref';

function info(kind: MeshKind): KindInfo {
  const i = KINDS.find((k) => k.kind === kind);
  if (!i) throw new Error(`not a mesh kind: ${kind}`);
  return i;
}

const seg = encodeURIComponent;

/** The Kubernetes-style REST paths of the control plane (docs/api.md), at the storage version unless told. */
export function listPath(kind: MeshKind, namespace: string | null): string {
  const i = info(kind);
  return namespace
    ? `/apis/${i.group}/${i.storageVersion}/namespaces/${seg(namespace)}/${i.plural}`
    : `/apis/${i.group}/${i.storageVersion}/${i.plural}`;
}

/** `apiVersion` "group/version" of the object, so the URL names the version the text uses. */
export function collectionPath(kind: MeshKind, namespace: string, apiVersion?: string): string {
  const i = info(kind);
  const version = apiVersion?.split('/')[1] ?? i.storageVersion;
  return `/apis/${i.group}/${seg(version)}/namespaces/${seg(namespace)}/${i.plural}`;
}

export function itemPath(ref: PolicyRef, apiVersion?: string): string {
  return `${collectionPath(ref.kind, ref.namespace, apiVersion)}/${seg(ref.name)}`;
}
