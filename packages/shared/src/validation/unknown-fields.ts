import type { MeshKind } from '../kinds';
import { fieldPath, type Path } from './causes';
import { type SchemaNode, specSchemaFor } from './openapi';

/**
 * Finds fields the schema does not know, the way the Kubernetes API server's field validation
 * does for a CRD: by walking the structural schema (so the answer matches what a CRD would prune).
 * Returns Kubernetes field paths such as `spec.http[0].rout`.
 */
export function unknownFields(kind: MeshKind, spec: unknown): string[] {
  const out: string[] = [];
  walk(specSchemaFor(kind), spec, ['spec'], out);
  return out;
}

function walk(schema: SchemaNode, value: unknown, path: Path, out: string[]): void {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (Array.isArray(value)) {
    const items = schema.items as SchemaNode | undefined;
    if (items) {
      value.forEach((v, i) => {
        walk(items, v, [...path, i], out);
      });
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const props = schema.properties as Record<string, SchemaNode> | undefined;
  const additional = schema.additionalProperties as SchemaNode | undefined;
  for (const [key, v] of Object.entries(value)) {
    const sub = props?.[key] ?? additional;
    if (sub) walk(sub, v, [...path, key], out);
    else out.push(fieldPath([...path, key]));
  }
}
