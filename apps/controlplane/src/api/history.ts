/**
 * The history API over the store's audit log (types in @trellis/shared/history-api):
 *
 *   GET  /api/v1/mesh/history?kind=&namespace=&name=&limit=   newest first
 *   POST /api/v1/mesh/history/:rv/revert[?dryRun=All][&force=true]   body {"force": true} optional
 *
 * `kind` takes a Kind (VirtualService), a plural (virtualservices) or a short name (vs), as kubectl
 * does. The revert is a write like any other: validated (422), recorded with the caller as actor.
 */
import {
  HISTORY_DEFAULT_LIMIT,
  HISTORY_MAX_LIMIT,
  HISTORY_PATHS,
  type HistoryChange,
  type HistoryList,
  KINDS,
  type MeshKind,
} from '@trellis/shared';
import { Errors, StatusError } from '../errors';
import { isJsonObject } from '../store/json';
import type { HistoryEntry, HistoryQuery, ResourceStore } from '../store/types';
import { revertChange } from './history-revert';
import { actorOf, flag, parseBody, readBody, sendJson, setWarnings } from './http';
import type { Router } from './router';

function kindParam(v: string): MeshKind {
  const lower = v.toLowerCase();
  const info = KINDS.find(
    (k) =>
      k.kind.toLowerCase() === lower ||
      k.plural === lower ||
      k.singular === lower ||
      k.shortNames.includes(lower),
  );
  if (!info)
    throw new StatusError(
      Errors.badRequest(`unknown kind "${v}": one of ${KINDS.map((k) => k.kind).join(', ')}`),
    );
  return info.kind;
}

function limitParam(v: string | null): number {
  if (v === null || v === '') return HISTORY_DEFAULT_LIMIT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new StatusError(Errors.badRequest(`invalid limit "${v}": a whole number from 1`));
  return Math.min(n, HISTORY_MAX_LIMIT);
}

export function historyQuery(url: URL): HistoryQuery {
  const q: HistoryQuery = { newestFirst: true, limit: limitParam(url.searchParams.get('limit')) };
  const kind = url.searchParams.get('kind');
  if (kind) q.kind = kindParam(kind);
  const namespace = url.searchParams.get('namespace');
  if (namespace) q.namespace = namespace;
  const name = url.searchParams.get('name');
  if (name) q.name = name;
  return q;
}

export function changeOf(e: HistoryEntry): HistoryChange {
  return {
    resourceVersion: e.resourceVersion,
    time: e.time,
    actor: e.actor,
    verb: e.verb,
    kind: e.ref.kind,
    namespace: e.ref.namespace,
    name: e.ref.name,
    uid: e.uid,
    before: e.before,
    after: e.after,
  };
}

function dryRunOf(url: URL): boolean {
  const values = url.searchParams.getAll('dryRun');
  for (const d of values)
    if (d !== 'All')
      throw new StatusError(Errors.badRequest(`invalid dryRun "${d}": the only supported value is "All"`));
  return values.length > 0;
}

export function registerHistory(router: Router, store: ResourceStore): void {
  router.get(HISTORY_PATHS.list, async ({ res, url }) => {
    const query = historyQuery(url);
    const [items, resourceVersion] = await Promise.all([store.listHistory(query), store.revision()]);
    const body: HistoryList = { kind: 'HistoryList', resourceVersion, items: items.map(changeOf) };
    sendJson(res, 200, body);
  });

  router.post(`${HISTORY_PATHS.list}/:rv/revert`, async ({ req, res, url, params }) => {
    const rv = params.rv ?? '';
    const raw = await readBody(req);
    const body = raw.length > 0 ? parseBody(raw, req.headers['content-type']) : undefined;
    if (body !== undefined && !isJsonObject(body))
      throw new StatusError(Errors.badRequest('the request body must be an object, e.g. {"force": true}'));
    const force = flag(url, 'force') || (body !== undefined && body.force === true);
    const entry = /^\d+$/.test(rv) ? await store.historyEntry(rv) : undefined;
    if (!entry) throw new StatusError(Errors.notFound({ group: '', resource: 'history', name: rv }));
    const outcome = await revertChange(store, entry, {
      actor: actorOf(req),
      force,
      dryRun: dryRunOf(url),
    });
    if (!outcome.ok) throw new StatusError(outcome.status);
    setWarnings(res, outcome.result.warnings);
    sendJson(res, 200, outcome.result);
  });
}
