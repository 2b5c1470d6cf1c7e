/**
 * OpenAPI v3, as the API server publishes it: /openapi/v3 lists one document per group version,
 * and each document has the paths and the schemas of that group version. The object schemas come
 * from openApiSchemaFor(kind) in packages/shared, the same zod-generated schemas the CRDs'
 * openAPIV3Schema is made of, so the schema has one source.
 *
 * Two details decide how kubectl 1.32 behaves against us:
 * - the create/update/patch operations declare the `fieldValidation` query parameter and carry
 *   x-kubernetes-group-version-kind, so kubectl sends fieldValidation=Strict and leaves
 *   validation to the server (otherwise it falls back to the protobuf OpenAPI v2 endpoint);
 * - the PATCH operation does not list application/strategic-merge-patch+json, so kubectl apply
 *   and edit send JSON merge patches, as they do for any custom resource.
 */
import { createHash } from 'node:crypto';
import { type KindInfo, openApiSchemaFor } from '@trellis/shared';
import { Errors, StatusError } from '../errors';
import { groups, kindsIn, versionsByPriority } from './discovery';
import { sendJson } from './http';
import type { Router } from './router';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** "networking.istio.io" → "io.istio.networking", the API server's naming of CRD schemas. */
function schemaPrefix(group: string, version: string): string {
  return `${group.split('.').reverse().join('.')}.${version}`;
}

function gvk(group: string, version: string, kind: string) {
  return { group, version, kind };
}

const COMMON_SCHEMAS: Record<string, unknown> = {
  [`${META}.ObjectMeta`]: {
    description: 'Standard object metadata.',
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Name must be unique within a namespace.' },
      generateName: { type: 'string' },
      namespace: { type: 'string' },
      uid: { type: 'string' },
      resourceVersion: { type: 'string' },
      generation: { type: 'integer', format: 'int64' },
      creationTimestamp: { type: 'string', format: 'date-time' },
      deletionTimestamp: { type: 'string', format: 'date-time' },
      labels: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      annotations: { type: 'object', additionalProperties: { type: 'string', default: '' } },
      finalizers: { type: 'array', items: { type: 'string', default: '' } },
      ownerReferences: {
        type: 'array',
        items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
      managedFields: {
        type: 'array',
        items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
  [`${META}.ListMeta`]: {
    type: 'object',
    properties: {
      resourceVersion: { type: 'string' },
      continue: { type: 'string' },
      remainingItemCount: { type: 'integer', format: 'int64' },
    },
  },
  [`${META}.StatusCause`]: {
    type: 'object',
    properties: { field: { type: 'string' }, message: { type: 'string' }, reason: { type: 'string' } },
  },
  [`${META}.StatusDetails`]: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      group: { type: 'string' },
      kind: { type: 'string' },
      uid: { type: 'string' },
      causes: { type: 'array', items: ref(`${META}.StatusCause`) },
    },
  },
  [`${META}.Status`]: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: ref(`${META}.ListMeta`),
      status: { type: 'string' },
      message: { type: 'string' },
      reason: { type: 'string' },
      details: ref(`${META}.StatusDetails`),
      code: { type: 'integer', format: 'int32' },
    },
    'x-kubernetes-group-version-kind': [gvk('', 'v1', 'Status')],
  },
  [`${META}.Preconditions`]: {
    type: 'object',
    properties: { resourceVersion: { type: 'string' }, uid: { type: 'string' } },
  },
  [`${META}.DeleteOptions`]: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      dryRun: { type: 'array', items: { type: 'string', default: '' } },
      gracePeriodSeconds: { type: 'integer', format: 'int64' },
      preconditions: ref(`${META}.Preconditions`),
      propagationPolicy: { type: 'string' },
    },
  },
  [`${META}.Patch`]: {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
};

function queryParam(name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string') {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const PARAMS = {
  dryRun: queryParam(
    'dryRun',
    'When present, indicates that modifications should not be persisted. The only valid value is All.',
  ),
  fieldManager: queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  fieldValidation: queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (default) and Strict.',
  ),
  force: queryParam('force', 'Force is going to "force" Apply requests.', 'boolean'),
  pretty: queryParam('pretty', "If 'true', then the output is pretty printed."),
  labelSelector: queryParam(
    'labelSelector',
    'A selector to restrict the list of returned objects by their labels.',
  ),
  fieldSelector: queryParam(
    'fieldSelector',
    'A selector to restrict the list of returned objects by their fields (metadata.name, metadata.namespace).',
  ),
  limit: queryParam('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  continue: queryParam(
    'continue',
    'The continue option should be set when retrieving more results from the server.',
  ),
  resourceVersion: queryParam(
    'resourceVersion',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  timeoutSeconds: queryParam('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  watch: queryParam('watch', 'Watch for changes to the described resources.', 'boolean'),
  allowWatchBookmarks: queryParam(
    'allowWatchBookmarks',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
    'boolean',
  ),
  sendInitialEvents: queryParam(
    'sendInitialEvents',
    'sendInitialEvents=true may be set together with watch=true.',
    'boolean',
  ),
  namespace: {
    name: 'namespace',
    in: 'path',
    required: true,
    description: 'object name and auth scope',
    schema: { type: 'string', uniqueItems: true },
  },
  name: {
    name: 'name',
    in: 'path',
    required: true,
    description: 'name of the resource',
    schema: { type: 'string', uniqueItems: true },
  },
};

const LIST_PARAMS = [
  PARAMS.allowWatchBookmarks,
  PARAMS.continue,
  PARAMS.fieldSelector,
  PARAMS.labelSelector,
  PARAMS.limit,
  PARAMS.resourceVersion,
  PARAMS.sendInitialEvents,
  PARAMS.timeoutSeconds,
  PARAMS.watch,
];

function content(schema: unknown, types = ['application/json', 'application/yaml']) {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

function pathsFor(info: KindInfo, version: string) {
  const { group, kind, plural } = info;
  const x = gvk(group, version, kind);
  const tag = `${group.split('.')[0]}Istio_${version}`;
  const obj = ref(`${schemaPrefix(group, version)}.${kind}`);
  const list = ref(`${schemaPrefix(group, version)}.${info.listKind}`);
  const status = ref(`${META}.Status`);
  const op = (action: string, verb: string, description: string, extra: Record<string, unknown>) => ({
    tags: [tag],
    description,
    operationId: `${verb}${group.split('.')[0]}Istio${version}Namespaced${kind}`,
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': x,
  });
  const ok = (schema: unknown, codes = ['200']) => ({
    responses: {
      ...Object.fromEntries(
        codes.map((c) => [c, { description: c === '201' ? 'Created' : 'OK', content: content(schema) }]),
      ),
      '401': { description: 'Unauthorized' },
    },
  });
  const base = `/apis/${group}/${version}`;
  return {
    [`${base}/${plural}`]: {
      get: op('list', 'list', `list objects of kind ${kind}`, { ...ok(list) }),
      parameters: [...LIST_PARAMS, PARAMS.pretty],
    },
    [`${base}/namespaces/{namespace}/${plural}`]: {
      get: op('list', 'list', `list objects of kind ${kind}`, { ...ok(list) }),
      post: op('post', 'create', `create a ${kind}`, {
        parameters: [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation],
        requestBody: { content: content(obj), required: true },
        ...ok(obj, ['200', '201', '202']),
      }),
      delete: op('deletecollection', 'deletecollection', `delete collection of ${kind}`, {
        parameters: [PARAMS.dryRun, ...LIST_PARAMS],
        ...ok(status),
      }),
      parameters: [PARAMS.namespace, PARAMS.pretty],
    },
    [`${base}/namespaces/{namespace}/${plural}/{name}`]: {
      get: op('get', 'read', `read the specified ${kind}`, {
        parameters: [PARAMS.resourceVersion],
        ...ok(obj),
      }),
      put: op('put', 'replace', `replace the specified ${kind}`, {
        parameters: [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation],
        requestBody: { content: content(obj), required: true },
        ...ok(obj, ['200', '201']),
      }),
      patch: op('patch', 'patch', `partially update the specified ${kind}`, {
        parameters: [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation, PARAMS.force],
        requestBody: {
          content: content(ref(`${META}.Patch`), [
            'application/json-patch+json',
            'application/merge-patch+json',
            'application/apply-patch+yaml',
          ]),
          required: true,
        },
        ...ok(obj, ['200', '201']),
      }),
      delete: op('delete', 'delete', `delete a ${kind}`, {
        parameters: [PARAMS.dryRun],
        requestBody: { content: content(ref(`${META}.DeleteOptions`)) },
        ...ok(obj, ['200', '202']),
      }),
      parameters: [PARAMS.name, PARAMS.namespace, PARAMS.pretty],
    },
  };
}

/** The kind's schema with ObjectMeta by reference, as the API server publishes CRD schemas. */
function objectSchema(info: KindInfo, version: string): Record<string, unknown> {
  const schema = structuredClone(openApiSchemaFor(info.kind));
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  props.apiVersion = {
    type: 'string',
    description: 'APIVersion defines the versioned schema of this representation of an object.',
  };
  props.kind = {
    type: 'string',
    description: 'Kind is a string value representing the REST resource this object represents.',
  };
  props.metadata = { allOf: [ref(`${META}.ObjectMeta`)], description: 'Standard object metadata.' };
  schema.properties = props;
  schema.type = 'object';
  schema['x-kubernetes-group-version-kind'] = [gvk(info.group, version, info.kind)];
  return schema;
}

function listSchema(info: KindInfo, version: string): Record<string, unknown> {
  return {
    description: `${info.listKind} is a list of ${info.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      items: { type: 'array', items: ref(`${schemaPrefix(info.group, version)}.${info.kind}`) },
      kind: { type: 'string' },
      metadata: { allOf: [ref(`${META}.ListMeta`)] },
    },
    'x-kubernetes-group-version-kind': [gvk(info.group, version, info.listKind)],
  };
}

export function groupVersionDocument(group: string, version: string): Record<string, unknown> {
  const kinds = kindsIn(group, version);
  const schemas: Record<string, unknown> = { ...COMMON_SCHEMAS };
  let paths: Record<string, unknown> = {};
  for (const info of kinds) {
    paths = { ...paths, ...pathsFor(info, version) };
    schemas[`${schemaPrefix(group, version)}.${info.kind}`] = objectSchema(info, version);
    schemas[`${schemaPrefix(group, version)}.${info.listKind}`] = listSchema(info, version);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Trellis', version: 'v0.1.0' },
    paths,
    components: { schemas },
  };
}

/** The core group's document: namespaces, read-only. */
function coreDocument(): Record<string, unknown> {
  const x = gvk('', 'v1', 'Namespace');
  const ns = ref('io.k8s.api.core.v1.Namespace');
  return {
    openapi: '3.0.0',
    info: { title: 'Trellis', version: 'v0.1.0' },
    paths: {
      '/api/v1/namespaces': {
        get: {
          tags: ['core_v1'],
          operationId: 'listCoreV1Namespace',
          'x-kubernetes-action': 'list',
          'x-kubernetes-group-version-kind': x,
          responses: { '200': { description: 'OK' } },
        },
      },
      '/api/v1/namespaces/{name}': {
        get: {
          tags: ['core_v1'],
          operationId: 'readCoreV1Namespace',
          'x-kubernetes-action': 'get',
          'x-kubernetes-group-version-kind': x,
          responses: { '200': { description: 'OK', content: content(ns) } },
        },
        parameters: [PARAMS.name],
      },
    },
    components: {
      schemas: {
        ...COMMON_SCHEMAS,
        'io.k8s.api.core.v1.Namespace': {
          type: 'object',
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { allOf: [ref(`${META}.ObjectMeta`)] },
            spec: {
              type: 'object',
              properties: { finalizers: { type: 'array', items: { type: 'string' } } },
            },
            status: { type: 'object', properties: { phase: { type: 'string' } } },
          },
          'x-kubernetes-group-version-kind': [x],
        },
      },
    },
  };
}

interface Served {
  body: string;
  hash: string;
}

function serve(doc: Record<string, unknown>): Served {
  const body = JSON.stringify(doc);
  return { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase() };
}

export function registerOpenApi(router: Router): void {
  // Built lazily on first use: the schemas are static for the life of the process.
  let docs: Map<string, Served> | undefined;
  const all = () => {
    if (!docs) {
      docs = new Map([['api/v1', serve(coreDocument())]]);
      for (const group of groups())
        for (const version of versionsByPriority(group))
          docs.set(`apis/${group}/${version}`, serve(groupVersionDocument(group, version)));
    }
    return docs;
  };

  router.get('/openapi/v3', ({ res }) => {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [key, d] of all()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${d.hash}` };
    sendJson(res, 200, { paths });
  });

  router.get('/openapi/v3/*', ({ res, url, params }) => {
    const key = params['*'] ?? '';
    const d = all().get(key);
    if (!d) throw new StatusError(Errors.pathNotFound(url.pathname));
    const hash = url.searchParams.get('hash');
    // A request by hash names immutable content; clients (kubectl's disk cache) may keep it.
    const cache = hash === d.hash ? 'public, immutable' : 'no-cache, private';
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(d.body),
      'Cache-Control': cache,
      Etag: `"${d.hash}"`,
    });
    res.end(d.body);
  });
}
