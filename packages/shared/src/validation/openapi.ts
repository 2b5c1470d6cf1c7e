import { z } from 'zod';
import type { MeshKind } from '../kinds';
import { SPEC_SCHEMAS } from '../resources';

/** A JSON-schema node as Kubernetes' structural OpenAPI v3 subset writes it. */
export type SchemaNode = { [key: string]: unknown };

const SAFE_INT = Number.MAX_SAFE_INTEGER;
/** Keys a structural schema may keep; anything else zod emits ($schema, propertyNames...) goes. */
const KEEP = new Set([
  'type',
  'format',
  'description',
  'enum',
  'minimum',
  'maximum',
  'nullable',
  'required',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
]);

/**
 * Rewrites zod's JSON Schema into Kubernetes' structural form
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema):
 * a `type` on every node, no $ref, unions folded into one object carrying every branch's
 * properties, maps as additionalProperties only, and no additionalProperties beside properties.
 */
export function toStructural(node: SchemaNode): SchemaNode {
  if ('$ref' in node) throw new Error('structural schemas cannot use $ref; inline the schema');
  const branches = [...asNodes(node.anyOf), ...asNodes(node.oneOf), ...asNodes(node.allOf)];
  if (branches.length > 0) {
    const { anyOf: _a, oneOf: _o, allOf: _l, ...rest } = node;
    return toStructural(branches.reduce(mergeNodes, rest));
  }
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(node)) if (KEEP.has(k)) out[k] = v;
  // zod bounds z.int() by the safe-integer range; that is noise in a CRD.
  if (out.minimum === -SAFE_INT) delete out.minimum;
  if (out.maximum === SAFE_INT) delete out.maximum;
  if (node.properties && typeof node.properties === 'object') {
    const props: Record<string, SchemaNode> = {};
    for (const [k, v] of Object.entries(node.properties as Record<string, SchemaNode>))
      props[k] = toStructural(v);
    out.type = 'object';
    out.properties = props;
  } else if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    out.type = 'object';
    out.additionalProperties = toStructural(node.additionalProperties as SchemaNode);
  } else if (node.type === 'object') {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  if (node.items && typeof node.items === 'object') out.items = toStructural(node.items as SchemaNode);
  if (out.type === undefined) {
    // z.unknown() and friends: every value, which Kubernetes spells this way.
    out['x-kubernetes-preserve-unknown-fields'] = true;
    out.type = 'object';
  }
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  return out;
}

function asNodes(value: unknown): SchemaNode[] {
  return Array.isArray(value) ? (value as SchemaNode[]) : [];
}

/** Folds a union branch into the accumulated node: union of properties, first type wins. */
function mergeNodes(acc: SchemaNode, branch: SchemaNode): SchemaNode {
  const merged: SchemaNode = { ...branch, ...acc };
  const props = { ...(branch.properties as object | undefined), ...(acc.properties as object | undefined) };
  if (Object.keys(props).length > 0) merged.properties = props;
  if (acc.type === undefined && branch.type !== undefined) merged.type = branch.type;
  // A field required by one branch only is not required by the union.
  delete merged.required;
  return merged;
}

const specCache = new Map<MeshKind, SchemaNode>();

/** The spec's structural schema, generated once per kind from the zod schema. */
export function specSchemaFor(kind: MeshKind): SchemaNode {
  let schema = specCache.get(kind);
  if (!schema) {
    const raw = z.toJSONSchema(SPEC_SCHEMAS[kind], {
      target: 'openapi-3.0',
      io: 'input',
      unrepresentable: 'any',
    });
    schema = toStructural(raw as SchemaNode);
    specCache.set(kind, schema);
  }
  return schema;
}

/**
 * The whole object's schema: usable as a CRD version's `schema.openAPIV3Schema` and as a
 * component of the /openapi/v3 document. Returns a fresh copy each call, so callers may
 * decorate it (x-kubernetes-group-version-kind, for instance).
 */
export function openApiSchemaFor(kind: MeshKind): Record<string, unknown> {
  return structuredClone({
    type: 'object',
    description: `Istio ${kind}, served by Trellis.`,
    properties: {
      apiVersion: {
        type: 'string',
        description: 'networking.istio.io or security.istio.io, with the version.',
      },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: specSchemaFor(kind),
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  });
}
