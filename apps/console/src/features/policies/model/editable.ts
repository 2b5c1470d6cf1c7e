import { stringify } from 'yaml';

/** Metadata the control plane owns: shown nowhere in the editor, never sent back. */
const SERVER_OWNED = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

type Obj = { [key: string]: unknown };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The object as the studio shows and diffs it: what a user writes (apiVersion, kind, metadata
 * name/namespace/labels/annotations, spec) in the usual order, without what the server sets
 * (uid, resourceVersion, generation, timestamps) or reports (status). The resourceVersion an
 * edit is based on travels beside the text, not in it, so the diff shows only real changes.
 */
export function editableObject(object: unknown): Obj {
  if (!isObj(object)) return {};
  const meta = isObj(object.metadata) ? object.metadata : {};
  const metadata: Obj = {};
  for (const key of ['name', 'namespace', 'labels', 'annotations'])
    if (meta[key] !== undefined) metadata[key] = meta[key];
  for (const [key, value] of Object.entries(meta))
    if (!(key in metadata) && !SERVER_OWNED.has(key) && value !== undefined) metadata[key] = value;
  const out: Obj = {};
  if (object.apiVersion !== undefined) out.apiVersion = object.apiVersion;
  if (object.kind !== undefined) out.kind = object.kind;
  out.metadata = metadata;
  if (object.spec !== undefined) out.spec = object.spec;
  for (const [key, value] of Object.entries(object))
    if (!(key in out) && key !== 'status' && value !== undefined) out[key] = value;
  return out;
}

/** YAML text of the editable form; long strings are never folded (a diff compares lines). */
export function toEditableYaml(object: unknown): string {
  return stringify(editableObject(object), { lineWidth: 0, minContentWidth: 0 });
}
