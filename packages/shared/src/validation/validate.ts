import type { z } from 'zod';
import { KINDS, type KindInfo, kindByName, parseApiVersion } from '../kinds';
import type { MeshResource, ObjectMeta } from '../resource';
import { OBJECT_SCHEMAS, type SpecByKind } from '../resources';
import type { ValidationResult } from '../validation-types';
import { checkAuthorizationPolicy } from './authorization-policy';
import { Findings, type Path } from './causes';
import { checkDestinationRule } from './destination-rule';
import { dns1123SubdomainProblem, isDns1123Label } from './names';
import { checkPeerAuthentication } from './peer-authentication';
import { checkLabels } from './rules';
import { unknownFields } from './unknown-fields';
import { checkVirtualService } from './virtual-service';

export interface ValidateOptions {
  /**
   * What to do with fields the schema does not know, as kubectl's --validate / the API's
   * fieldValidation parameter: 'Strict' refuses them, 'Warn' (default) returns a warning,
   * 'Ignore' drops them silently. They are never stored.
   */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** The namespace to assume when metadata.namespace is missing (the URL's, for the API). Default "default". */
  namespace?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Kubernetes drops null values of non-nullable fields before validating; so do we. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

/**
 * Parses and validates one object of a mesh kind at any served apiVersion. Checks, in order:
 * apiVersion and kind, metadata, the schema (types, enums, unknown fields), then Istio's
 * semantic rules. Every problem comes back at once, each with a Kubernetes field path.
 */
export function validateResource(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const f = new Findings();
  const obj = dropNulls(input);
  if (!isObject(obj)) {
    f.invalid([], 'expected an object with apiVersion, kind, metadata and spec');
    return { valid: false, causes: f.causes };
  }
  const info = checkTypeMeta(f, obj);
  const meta = checkMetadata(f, obj.metadata);
  if (!info) return { valid: false, causes: f.causes };

  const kind = info.kind;
  const parsed = OBJECT_SCHEMAS[kind].safeParse(obj);
  if (!parsed.success) addSchemaIssues(f, parsed.error.issues, obj);

  const mode = options.fieldValidation ?? 'Warn';
  if (mode !== 'Ignore') {
    for (const field of unknownFields(kind, obj.spec ?? {})) {
      const name = field.slice(field.lastIndexOf('.') + 1);
      if (mode === 'Strict')
        f.causes.push({ reason: 'FieldValueInvalid', field, message: `unknown field "${name}"` });
      else f.warnings.push(`unknown field "${field}"`);
    }
  }
  // Istio's rules need a well-typed spec; a bad name alone does not stop them.
  if (!parsed.success) return { valid: false, causes: f.causes };
  const given = isObject(obj.metadata) ? obj.metadata.namespace : undefined;
  const namespace = (typeof given === 'string' && given) || options.namespace || 'default';
  checkSpec(f, kind, parsed.data.spec, namespace);
  if (meta) checkDryRun(f, kind, meta, parsed.data.spec);
  if (f.causes.length > 0 || !meta) return { valid: false, causes: f.causes };

  const resource: MeshResource = {
    apiVersion: parsed.data.apiVersion,
    kind,
    metadata: { ...meta, namespace },
    spec: parsed.data.spec,
  };
  return { valid: true, resource, warnings: f.warnings };
}

function checkTypeMeta(f: Findings, obj: Json): KindInfo | undefined {
  const { apiVersion, kind } = obj;
  if (typeof kind !== 'string' || kind === '') {
    f.required(['kind'], 'kind is required');
    return undefined;
  }
  const info = kindByName(kind);
  if (!info) {
    f.notSupported(
      ['kind'],
      `Unsupported value: "${kind}": supported values: ${KINDS.map((k) => `"${k.kind}"`).join(', ')}`,
    );
    return undefined;
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    f.required(['apiVersion'], 'apiVersion is required');
    return undefined;
  }
  const { group, version } = parseApiVersion(apiVersion);
  if (group !== info.group || !info.versions.includes(version)) {
    const served = info.versions.map((v) => `"${info.group}/${v}"`).join(', ');
    f.notSupported(['apiVersion'], `Unsupported value: "${apiVersion}": ${kind} is served at ${served}`);
    return undefined;
  }
  return info;
}

function checkMetadata(f: Findings, metadata: unknown): ObjectMeta | undefined {
  if (!isObject(metadata)) {
    f.required(['metadata'], 'metadata is required');
    return undefined;
  }
  const start = f.causes.length;
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') f.required(['metadata', 'name'], 'name is required');
  else {
    const problem = dns1123SubdomainProblem(name);
    if (problem) f.invalid(['metadata', 'name'], `Invalid value: "${name}": ${problem}`);
  }
  if (typeof namespace === 'string' && namespace !== '' && !isDns1123Label(namespace)) {
    f.invalid(
      ['metadata', 'namespace'],
      `Invalid value: "${namespace}": a lowercase RFC 1123 label is required`,
    );
  }
  for (const key of ['labels', 'annotations'] as const) {
    const map = metadata[key];
    if (map === undefined) continue;
    if (!isObject(map) || Object.values(map).some((v) => typeof v !== 'string')) {
      f.invalid(['metadata', key], `${key} must be a map of strings`);
    } else if (key === 'labels') checkLabels(f, ['metadata', 'labels'], map as Record<string, string>);
  }
  return f.causes.length === start ? (metadata as unknown as ObjectMeta) : undefined;
}

function checkSpec<K extends keyof SpecByKind>(f: Findings, kind: K, spec: unknown, namespace: string): void {
  switch (kind) {
    case 'VirtualService':
      checkVirtualService(f, spec as SpecByKind['VirtualService'], namespace);
      return;
    case 'DestinationRule':
      checkDestinationRule(f, spec as SpecByKind['DestinationRule'], namespace);
      return;
    case 'PeerAuthentication':
      checkPeerAuthentication(f, spec as SpecByKind['PeerAuthentication']);
      return;
    case 'AuthorizationPolicy':
      checkAuthorizationPolicy(f, spec as SpecByKind['AuthorizationPolicy']);
      return;
  }
}

/** Istio honours istio.io/dry-run on ALLOW and DENY AuthorizationPolicies only. */
function checkDryRun(f: Findings, kind: string, meta: ObjectMeta, spec: unknown): void {
  const value = meta.annotations?.['istio.io/dry-run'];
  if (value === undefined) return;
  const at: Path = ['metadata', 'annotations', 'istio.io/dry-run'];
  if (kind !== 'AuthorizationPolicy') {
    f.invalid(at, 'the annotation istio.io/dry-run is only supported on AuthorizationPolicy; remove it');
    return;
  }
  const action = (spec as SpecByKind['AuthorizationPolicy']).action ?? 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') {
    f.invalid(at, `the annotation istio.io/dry-run only supports action ALLOW/DENY, found ${action}`);
  } else if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(value)) {
    f.invalid(at, `invalid value (${value}): must be true or false`);
  }
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** zod's type names in the words of Kubernetes' OpenAPI types. */
const TYPE_NAMES: Record<string, string> = { int: 'integer', record: 'object', map: 'object', nan: 'number' };

/** zod's issues as Kubernetes causes: missing → Required, enum → NotSupported, else Invalid. */
function addSchemaIssues(f: Findings, issues: readonly z.core.$ZodIssue[], obj: Json): void {
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const value = valueAt(obj, issue.path);
    if (issue.code === 'invalid_type' && value === undefined) {
      f.required(path, 'Required value');
    } else if (issue.code === 'invalid_value') {
      const supported = issue.values.map((v) => JSON.stringify(v)).join(', ');
      f.notSupported(path, `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported}`);
    } else if (issue.code === 'invalid_type') {
      f.invalid(
        path,
        `Invalid value: ${JSON.stringify(value)}: must be of type ${TYPE_NAMES[issue.expected] ?? issue.expected}`,
      );
    } else {
      f.invalid(path, issue.message);
    }
  }
}
