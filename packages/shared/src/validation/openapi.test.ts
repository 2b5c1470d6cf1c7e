import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KINDS } from '../kinds';
import { openApiSchemaFor, type SchemaNode, toStructural } from './openapi';

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

/**
 * Kubernetes' structural-schema rules that a CRD's openAPIV3Schema must meet (apiextensions
 * validation: "must be structural"), checked on every node.
 */
function structuralProblems(node: SchemaNode, path: string, out: string[]): void {
  if (node.$ref !== undefined) out.push(`${path}: $ref`);
  for (const k of ['anyOf', 'oneOf', 'allOf', 'not', 'definitions', '$defs', 'propertyNames', '$schema']) {
    if (node[k] !== undefined) out.push(`${path}: ${k}`);
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (!TYPES.has(String(node.type))) out.push(`${path}: type ${String(node.type)}`);
  if (node.properties !== undefined && node.additionalProperties !== undefined) {
    out.push(`${path}: properties and additionalProperties together`);
  }
  if (node.additionalProperties === false) out.push(`${path}: additionalProperties false`);
  if (node.type === 'array' && (node.items === undefined || Array.isArray(node.items)))
    out.push(`${path}: array without one items schema`);
  if (
    node.type === 'object' &&
    !preserve &&
    node.properties === undefined &&
    node.additionalProperties === undefined &&
    path !== '.metadata'
  ) {
    out.push(`${path}: object with neither properties nor additionalProperties`);
  }
  for (const [k, v] of Object.entries((node.properties as Record<string, SchemaNode>) ?? {}))
    structuralProblems(v, `${path}.${k}`, out);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') {
    structuralProblems(node.additionalProperties as SchemaNode, `${path}{}`, out);
  }
  if (node.items && typeof node.items === 'object')
    structuralProblems(node.items as SchemaNode, `${path}[]`, out);
}

test('every kind has a structural schema (CRD- and /openapi/v3-ready)', () => {
  for (const { kind } of KINDS) {
    const problems: string[] = [];
    structuralProblems(openApiSchemaFor(kind) as SchemaNode, '', problems);
    assert.deepEqual(problems, [], kind);
  }
});

test('the whole object has apiVersion, kind, metadata, spec and a free-form status', () => {
  const schema = openApiSchemaFor('VirtualService') as { properties: Record<string, SchemaNode> };
  assert.deepEqual(Object.keys(schema.properties), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.deepEqual(schema.properties.metadata, { type: 'object' });
  assert.equal(schema.properties.status?.['x-kubernetes-preserve-unknown-fields'], true);
});

test('fields keep their types, enums and maps', () => {
  const spec = (kind: 'VirtualService' | 'DestinationRule' | 'PeerAuthentication') =>
    (openApiSchemaFor(kind) as { properties: { spec: SchemaNode } }).properties.spec;
  type P = {
    properties: Record<string, P>;
    items: P;
    additionalProperties: P;
    type: string;
    enum?: string[];
  };
  const vs = spec('VirtualService') as unknown as P;
  assert.equal(vs.properties.http?.items.properties.route?.items.properties.weight?.type, 'integer');
  assert.equal(vs.properties.http?.items.properties.timeout?.type, 'string');
  assert.equal(
    vs.properties.http?.items.properties.match?.items.properties.headers?.additionalProperties.properties
      .regex?.type,
    'string',
  );
  const pa = spec('PeerAuthentication') as unknown as P;
  assert.deepEqual(pa.properties.mtls?.properties.mode?.enum, ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
  assert.equal(pa.properties.portLevelMtls?.additionalProperties.type, 'object');
  // zod's safe-integer bounds on z.int() are noise in a CRD and are dropped.
  assert.equal(
    vs.properties.http?.items.properties.route?.items.properties.weight?.['minimum' as 'type'],
    undefined,
  );
});

test('unions are folded into one object carrying every branch property', () => {
  const folded = toStructural({
    anyOf: [
      { type: 'object', properties: { exact: { type: 'string' } }, required: ['exact'] },
      { type: 'object', properties: { prefix: { type: 'string' } }, required: ['prefix'] },
    ],
  });
  assert.deepEqual(folded, {
    type: 'object',
    properties: { exact: { type: 'string' }, prefix: { type: 'string' } },
  });
  assert.throws(() => toStructural({ $ref: '#/$defs/x' }), /\$ref/);
});

test('each call returns a fresh copy', () => {
  const a = openApiSchemaFor('DestinationRule');
  a.description = 'changed';
  assert.notEqual(openApiSchemaFor('DestinationRule').description, 'changed');
});
