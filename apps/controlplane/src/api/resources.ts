/**
 * The Kubernetes REST routes of the mesh kinds, over a ResourceStore:
 *
 *   GET    /apis/G/V/PLURAL                                  list or watch, all namespaces
 *   GET    /apis/G/V/namespaces/NS/PLURAL                    list or watch
 *   POST   /apis/G/V/namespaces/NS/PLURAL                    create
 *   DELETE /apis/G/V/namespaces/NS/PLURAL                    delete collection
 *   GET    /apis/G/V/namespaces/NS/PLURAL/NAME               get
 *   PUT    /apis/G/V/namespaces/NS/PLURAL/NAME               update (resourceVersion required)
 *   PATCH  /apis/G/V/namespaces/NS/PLURAL/NAME               merge, JSON or apply patch
 *   DELETE /apis/G/V/namespaces/NS/PLURAL/NAME               delete
 *
 * Query parameters as the API server reads them: dryRun=All, fieldValidation, fieldManager,
 * force, labelSelector, fieldSelector, limit, continue, watch, resourceVersion,
 * allowWatchBookmarks, sendInitialEvents, timeoutSeconds, includeObject.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type KindInfo, kindByPlural, type MeshResource, type ResourceRef } from '@trellis/shared';
import { stringify as toYaml } from 'yaml';
import { Errors, StatusError } from '../errors';
import { isJsonObject, type JsonObject, type JsonValue } from '../store/json';
import { parseSelectors } from '../store/selectors';
import {
  type FieldValidation,
  type Patch,
  type Preconditions,
  type ResourceStore,
  StoreError,
  type WatchOptions,
  type WriteResult,
} from '../store/types';
import {
  actorOf,
  flag,
  mediaType,
  negotiate,
  parseBody,
  type Representation,
  readBody,
  sendJson,
  setWarnings,
} from './http';
import { present, statusOfFailure } from './present';
import type { RouteContext, Router } from './router';
import { type IncludeObject, partialObjectMetadata, tableOf } from './table';
import { serveWatch, type WatchRegistry, type WatchRepresentation, watchTimeoutMs } from './watch';

interface Target {
  info: KindInfo;
  version: string;
  /** Absent for the all-namespaces list. */
  namespace?: string;
  name?: string;
}

function target(params: Record<string, string>, path: string): Target {
  const group = params.group ?? '';
  const version = params.version ?? '';
  const info = kindByPlural(group, params.plural ?? '');
  if (!info?.versions.includes(version)) throw new StatusError(Errors.pathNotFound(path));
  const t: Target = { info, version };
  if (params.namespace !== undefined) t.namespace = params.namespace;
  if (params.name !== undefined) t.name = params.name;
  return t;
}

function refOf(t: Target): ResourceRef {
  return { kind: t.info.kind, namespace: t.namespace ?? '', name: t.name ?? '' };
}

function send(res: ServerResponse, code: number, body: unknown, rep: Representation): void {
  if (rep.type === 'yaml') {
    const text = toYaml(body);
    res.writeHead(code, { 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  } else sendJson(res, code, body);
}

function includeObject(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw new StatusError(Errors.badRequest(`invalid includeObject "${v}" (None, Metadata or Object)`));
}

/** One object as the client asked: itself, a one-row Table, or its metadata. */
function shape(r: MeshResource, t: Target, rep: Representation, url: URL): unknown {
  const obj = present(r, t.info, t.version);
  if (rep.type === 'table')
    return tableOf(t.info.kind, [obj], { version: rep.version, includeObject: includeObject(url) });
  if (rep.type === 'partial') return partialObjectMetadata(obj, rep.version);
  return obj;
}

interface WriteQuery {
  dryRun: boolean;
  fieldValidation: FieldValidation;
}

function writeQuery(url: URL): WriteQuery {
  const dryRun = url.searchParams.getAll('dryRun');
  for (const d of dryRun)
    if (d !== 'All')
      throw new StatusError(Errors.badRequest(`invalid dryRun "${d}": the only supported value is "All"`));
  const fv = url.searchParams.get('fieldValidation') ?? 'Warn';
  // Kubernetes accepts these case-insensitively, so kubectl's "Strict" and a script's "strict" both work.
  const canonical = { strict: 'Strict', warn: 'Warn', ignore: 'Ignore' }[fv.toLowerCase()] as
    | FieldValidation
    | undefined;
  if (!canonical)
    throw new StatusError(
      Errors.badRequest(`invalid fieldValidation "${fv}": must be Strict, Warn or Ignore`),
    );
  return { dryRun: dryRun.length > 0, fieldValidation: canonical };
}

/** apiVersion and kind must name this URL's kind and version; absent ones are filled in. */
function checkTypeMeta(body: JsonObject, t: Target): void {
  const expected = `${t.info.group}/${t.version}`;
  if (body.apiVersion === undefined || body.apiVersion === '') body.apiVersion = expected;
  if (body.kind === undefined || body.kind === '') body.kind = t.info.kind;
  if (body.apiVersion !== expected)
    throw new StatusError(
      Errors.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`,
      ),
    );
  if (body.kind !== t.info.kind)
    throw new StatusError(
      Errors.badRequest(
        `the kind in the data (${String(body.kind)}) does not match the expected kind (${t.info.kind})`,
      ),
    );
}

function metadataOf(body: JsonObject): JsonObject {
  if (body.metadata === undefined) body.metadata = {};
  if (!isJsonObject(body.metadata)) throw new StatusError(Errors.badRequest('metadata must be an object'));
  return body.metadata;
}

async function objectBody(req: IncomingMessage): Promise<JsonObject> {
  const body = parseBody(await readBody(req), req.headers['content-type']);
  if (!isJsonObject(body)) throw new StatusError(Errors.badRequest('the request body must be an object'));
  return body;
}

function answer(ctx: RouteContext, t: Target, rep: Representation, result: WriteResult, code: number): void {
  if (!result.ok) throw new StatusError(statusOfFailure(result.error));
  setWarnings(ctx.res, result.warnings);
  send(ctx.res, code, shape(result.resource, t, rep, ctx.url), rep);
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

function patchOf(req: IncomingMessage, url: URL, body: Buffer): Patch {
  const type = mediaType(req.headers['content-type']);
  switch (type) {
    case 'application/merge-patch+json':
      return { type: 'merge', patch: parseBody(body, type) };
    case 'application/json-patch+json':
      return { type: 'json', patch: parseBody(body, type) };
    case 'application/apply-patch+yaml': {
      const fieldManager = url.searchParams.get('fieldManager') ?? '';
      if (fieldManager === '')
        throw new StatusError(Errors.badRequest('fieldManager is required for apply requests'));
      return { type: 'apply', patch: parseBody(body, type), fieldManager, force: flag(url, 'force') };
    }
    default:
      // Strategic merge patch needs Go struct tags; custom resources reject it the same way.
      throw new StatusError(Errors.unsupportedMediaType(PATCH_TYPES));
  }
}

function preconditionsOf(body: JsonValue | undefined): { preconditions?: Preconditions; dryRun: boolean } {
  if (!isJsonObject(body)) return { dryRun: false };
  const out: { preconditions?: Preconditions; dryRun: boolean } = {
    dryRun: Array.isArray(body.dryRun) && body.dryRun.includes('All'),
  };
  const p = body.preconditions;
  if (isJsonObject(p)) {
    out.preconditions = {};
    if (typeof p.resourceVersion === 'string') out.preconditions.resourceVersion = p.resourceVersion;
    if (typeof p.uid === 'string') out.preconditions.uid = p.uid;
  }
  return out;
}

/** Continue tokens: where the previous page stopped (namespace and name of its last item). */
function encodeContinue(r: MeshResource): string {
  return Buffer.from(JSON.stringify([r.metadata.namespace, r.metadata.name])).toString('base64url');
}

function decodeContinue(token: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new StatusError(Errors.badRequest('invalid continue token'));
}

function watchOptions(t: Target, url: URL): WatchOptions {
  const o: WatchOptions = { kind: t.info.kind };
  if (t.namespace !== undefined) o.namespace = t.namespace;
  const ls = url.searchParams.get('labelSelector');
  const fs = url.searchParams.get('fieldSelector');
  const sel = parseSelectors(ls ?? undefined, fs ?? undefined);
  if (!sel.ok) throw new StatusError(Errors.badRequest(sel.message));
  if (ls) o.labelSelector = ls;
  if (fs) o.fieldSelector = fs;
  const rv = url.searchParams.get('resourceVersion');
  if (rv !== null && rv !== '') {
    if (!/^\d+$/.test(rv)) throw new StatusError(Errors.badRequest(`invalid resourceVersion "${rv}"`));
    o.resourceVersion = rv;
  }
  if (flag(url, 'sendInitialEvents')) o.sendInitialEvents = true;
  return o;
}

export interface ResourceApiOptions {
  store: ResourceStore;
  watches: WatchRegistry;
}

export function registerResources(router: Router, { store, watches }: ResourceApiOptions): void {
  const collection = '/apis/:group/:version/namespaces/:namespace/:plural';
  const item = `${collection}/:name`;

  async function list(ctx: RouteContext): Promise<void> {
    const t = target(ctx.params, ctx.url.pathname);
    const rep = negotiate(ctx.req.headers.accept);
    const url = ctx.url;
    const options = watchOptions(t, url);
    if (flag(url, 'watch')) {
      const representation: WatchRepresentation =
        rep.type === 'table'
          ? { type: 'table', version: rep.version, includeObject: includeObject(url) }
          : rep.type === 'partial'
            ? rep
            : { type: 'json' };
      options.bookmarks = flag(url, 'allowWatchBookmarks');
      await serveWatch(
        ctx.res,
        store,
        {
          info: t.info,
          version: t.version,
          options,
          representation,
          allowBookmarks: options.bookmarks,
          timeoutMs: watchTimeoutMs(url.searchParams.get('timeoutSeconds')),
        },
        watches,
      );
      return;
    }
    let result: Awaited<ReturnType<ResourceStore['list']>>;
    try {
      result = await store.list(options);
    } catch (err) {
      if (err instanceof StoreError) throw new StatusError(statusOfFailure(err.failure));
      throw err;
    }
    let items = result.items;
    const token = url.searchParams.get('continue');
    if (token) {
      const [ns, name] = decodeContinue(token);
      items = items.filter(
        (r) => r.metadata.namespace > ns || (r.metadata.namespace === ns && r.metadata.name > name),
      );
    }
    const limit = Number(url.searchParams.get('limit') ?? '0');
    let next: string | undefined;
    let remaining: number | undefined;
    if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
      remaining = items.length - limit;
      items = items.slice(0, limit);
      next = encodeContinue(items[items.length - 1] as MeshResource);
    }
    const objects = items.map((r) => present(r, t.info, t.version));
    if (rep.type === 'table') {
      const table = tableOf(t.info.kind, objects, {
        version: rep.version,
        includeObject: includeObject(url),
        resourceVersion: result.resourceVersion,
        ...(next ? { continueToken: next } : {}),
      });
      return send(ctx.res, 200, table, rep);
    }
    const metadata: Record<string, string | number> = { resourceVersion: result.resourceVersion };
    if (next) metadata.continue = next;
    if (remaining !== undefined) metadata.remainingItemCount = remaining;
    if (rep.type === 'partial')
      return send(
        ctx.res,
        200,
        {
          kind: 'PartialObjectMetadataList',
          apiVersion: `meta.k8s.io/${rep.version}`,
          metadata,
          items: objects.map((o) => partialObjectMetadata(o, rep.version)),
        },
        rep,
      );
    send(
      ctx.res,
      200,
      { apiVersion: `${t.info.group}/${t.version}`, kind: t.info.listKind, metadata, items: objects },
      rep,
    );
  }

  router.get('/apis/:group/:version/:plural', list);
  router.get(collection, list);

  /**
   * The object of a create or replace: its type meta checked against the URL, and its namespace
   * the URL's (Kubernetes refuses a body naming another one and fills in a missing one).
   */
  async function objectForTarget(req: IncomingMessage, t: Target) {
    const body = await objectBody(req);
    checkTypeMeta(body, t);
    const meta = metadataOf(body);
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== t.namespace)
      throw new StatusError(
        Errors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        ),
      );
    meta.namespace = t.namespace ?? 'default';
    return { body, meta };
  }

  router.post(collection, async (ctx) => {
    const t = target(ctx.params, ctx.url.pathname);
    const rep = negotiate(ctx.req.headers.accept);
    const q = writeQuery(ctx.url);
    const { body } = await objectForTarget(ctx.req, t);
    const result = await store.create(body, {
      actor: actorOf(ctx.req),
      dryRun: q.dryRun,
      fieldValidation: q.fieldValidation,
    });
    answer(ctx, t, rep, result, 201);
  });

  router.delete(collection, async (ctx) => {
    const t = target(ctx.params, ctx.url.pathname);
    const rep = negotiate(ctx.req.headers.accept);
    const q = writeQuery(ctx.url);
    const options = watchOptions(t, ctx.url);
    let listed: Awaited<ReturnType<ResourceStore['list']>>;
    try {
      listed = await store.list(options);
    } catch (err) {
      if (err instanceof StoreError) throw new StatusError(statusOfFailure(err.failure));
      throw err;
    }
    const deleted: MeshResource[] = [];
    for (const r of listed.items) {
      const result = await store.delete(
        { kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name },
        { actor: actorOf(ctx.req), dryRun: q.dryRun },
      );
      if (result.ok) deleted.push(present(result.resource, t.info, t.version));
    }
    send(
      ctx.res,
      200,
      {
        apiVersion: `${t.info.group}/${t.version}`,
        kind: t.info.listKind,
        metadata: { resourceVersion: await store.revision() },
        items: deleted,
      },
      rep,
    );
  });

  router.get(item, async (ctx) => {
    const t = target(ctx.params, ctx.url.pathname);
    const rep = negotiate(ctx.req.headers.accept);
    const r = await store.get(refOf(t));
    if (!r) throw new StatusError(statusOfFailure({ reason: 'NotFound', ref: refOf(t) }));
    send(ctx.res, 200, shape(r, t, rep, ctx.url), rep);
  });

  router.put(item, async (ctx) => {
    const t = target(ctx.params, ctx.url.pathname);
    const rep = negotiate(ctx.req.headers.accept);
    const q = writeQuery(ctx.url);
    const { body, meta } = await objectForTarget(ctx.req, t);
    if (meta.name !== t.name)
      throw new StatusError(
        Errors.badRequest(
          `the name of the object (${String(meta.name ?? '')}) does not match the name on the URL (${t.name})`,
        ),
      );
    const result = await store.update(body, {
      actor: actorOf(ctx.req),
      dryRun: q.dryRun,
      fieldValidation: q.fieldValidation,
    });
    answer(ctx, t, rep, result, 200);
  });

  router.patch(item, async (ctx) => {
    const t = target(ctx.params, ctx.url.pathname);
    const rep = negotiate(ctx.req.headers.accept);
    const q = writeQuery(ctx.url);
    const patch = patchOf(ctx.req, ctx.url, await readBody(ctx.req));
    if (patch.type === 'apply' && isJsonObject(patch.patch)) checkTypeMeta(patch.patch, t);
    const existed = patch.type === 'apply' ? (await store.get(refOf(t))) !== undefined : true;
    const result = await store.patch(refOf(t), patch, {
      actor: actorOf(ctx.req),
      dryRun: q.dryRun,
      fieldValidation: q.fieldValidation,
    });
    answer(ctx, t, rep, result, existed ? 200 : 201);
  });

  router.delete(item, async (ctx) => {
    const t = target(ctx.params, ctx.url.pathname);
    const rep = negotiate(ctx.req.headers.accept);
    const q = writeQuery(ctx.url);
    const raw = await readBody(ctx.req);
    const body = raw.length > 0 ? parseBody(raw, ctx.req.headers['content-type']) : undefined;
    const opts = preconditionsOf(body);
    const result = await store.delete(refOf(t), {
      actor: actorOf(ctx.req),
      dryRun: q.dryRun || opts.dryRun,
      ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
    });
    answer(ctx, t, rep, result, 200);
  });
}
