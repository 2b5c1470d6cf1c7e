import { KINDS, type MeshKind } from '@trellis/shared/kinds';

/** Which object: the console's routes and the control plane's history name objects this way. */
export interface PolicyRef {
  kind: MeshKind;
  namespace: string;
  name: string;
}

export const POLICY_KINDS: readonly MeshKind[] = KINDS.map((k) => k.kind);

export function isPolicyKind(v: unknown): v is MeshKind {
  return typeof v === 'string' && (POLICY_KINDS as readonly string[]).includes(v);
}

/** "VirtualService/default/reviews": the form `?open=` carries in the URL. */
export function refString(ref: PolicyRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function parseRefString(v: string | null | undefined): PolicyRef | null {
  if (!v) return null;
  const [kind, namespace, name, ...rest] = v.split('/');
  if (rest.length > 0 || !isPolicyKind(kind) || !namespace || !name) return null;
  return { kind, namespace, name };
}

export function sameRef(a: PolicyRef | null, b: PolicyRef | null): boolean {
  return !!a && !!b && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}
