/**
 * The embedded ResourceStore: SQLite (better-sqlite3, WAL) in the control plane's data directory.
 *
 * better-sqlite3 is synchronous and this process is the only writer, so each write runs
 * read-check-write-notify without yielding: the precondition check, the revision bump, the object
 * row, the history row and the fan-out to watchers happen as one step, and watchers see changes
 * in exactly the order of their resourceVersions. Current objects are also kept in memory (the
 * table is the durable copy), so lists and analysis never touch the disk.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type FieldCause,
  KINDS,
  type KindInfo,
  kindByName,
  type MeshKind,
  type MeshResource,
  type ObjectMeta,
  type ResourceRef,
  refKey,
} from '@trellis/shared';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import {
  type AnalysisSource,
  defaultValidator,
  EMPTY_ANALYSIS_SOURCE,
  findingsFor,
  type Validator,
} from './checks';
import { cloneJson, isJsonObject, type JsonObject, type JsonValue, jsonEqual } from './json';
import { jsonPatch, mergePatch } from './patch';
import { parseSelectors } from './selectors';
import { migrate } from './sqlite-schema';
import type {
  HistoryEntry,
  HistoryQuery,
  HistoryVerb,
  ListOptions,
  ListResult,
  Patch,
  Preconditions,
  ResourceStore,
  StoreFailure,
  WatchCallbacks,
  WatchEvent,
  WatchOptions,
  WatchStart,
  WriteOptions,
  WriteResult,
} from './types';
import { StoreError } from './types';
import { type Change, eventFor, inScope, type WatchFilter, WatchHub } from './watch-hub';

export interface SqliteStoreOptions {
  /** The control plane's data directory; the database is DIR/store.db. */
  dataDir: string;
  validate?: Validator;
  analysis?: AnalysisSource;
  /** The clock for timestamps (tests pin it). */
  now?: () => Date;
  /** How often watches that asked for bookmarks get one, in ms (default 30 000). */
  bookmarkIntervalMs?: number;
}

interface HistoryRow {
  rv: number;
  time: string;
  actor: string;
  verb: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  before: string | null;
  after: string | null;
}

/** Metadata the store owns or that never round-trips (k8s drops the same on write). */
const SERVER_FIELDS = [
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/** creationTimestamp is RFC 3339 at second precision, as metav1.Time marshals. */
function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Best-effort kind/namespace/name of untrusted input, for naming it in errors before it is parsed. */
function peek(obj: unknown): { kind: string; namespace: string; name: string; generateName: string } {
  const o = isJsonObject(obj) ? obj : {};
  const m = isJsonObject(o.metadata) ? o.metadata : {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    kind: str(o.kind),
    namespace: str(m.namespace),
    name: str(m.name),
    generateName: str(m.generateName),
  };
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' generateName suffix: five characters without vowels (so no words). */
function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i += 1) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

function checkPreconditions(
  ref: ResourceRef,
  current: MeshResource,
  p: Preconditions | undefined,
): StoreFailure | undefined {
  if (p?.uid !== undefined && p.uid !== '' && p.uid !== current.metadata.uid)
    return {
      reason: 'Conflict',
      ref,
      message: `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${current.metadata.uid}`,
    };
  if (
    p?.resourceVersion !== undefined &&
    p.resourceVersion !== '' &&
    p.resourceVersion !== current.metadata.resourceVersion
  )
    return {
      reason: 'Conflict',
      ref,
      message: `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    };
  return undefined;
}

export class SqliteResourceStore implements ResourceStore {
  private readonly db: Db;
  private readonly objects = new Map<string, MeshResource>();
  private readonly hub: WatchHub;
  private readonly validate: Validator;
  private readonly now: () => Date;
  private readonly bookmarkIntervalMs: number;
  private analysis: AnalysisSource;
  private rev: number;
  private compacted: number;
  private closed = false;
  private readonly stmt: {
    setMeta: Statement<[string, string]>;
    upsert: Statement<[string, string, string, string, number, string]>;
    remove: Statement<[string, string, string]>;
    history: Statement<
      [number, string, string, string, string, string, string, string, string | null, string | null]
    >;
  };

  private constructor(db: Db, options: SqliteStoreOptions) {
    this.db = db;
    this.validate = options.validate ?? defaultValidator;
    this.analysis = options.analysis ?? EMPTY_ANALYSIS_SOURCE;
    this.now = options.now ?? (() => new Date());
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 30_000;
    this.hub = new WatchHub(() => String(this.rev));
    const meta = (key: string) =>
      Number(
        db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ??
          '0',
      );
    this.rev = meta('revision');
    this.compacted = meta('compacted');
    for (const row of db.prepare<[], { body: string }>('SELECT body FROM objects').iterate()) {
      const r = JSON.parse(row.body) as MeshResource;
      this.objects.set(refKey({ kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name }), r);
    }
    this.stmt = {
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      upsert: db.prepare(
        `INSERT INTO objects (kind, namespace, name, uid, rv, body) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, namespace, name) DO UPDATE SET uid = excluded.uid, rv = excluded.rv, body = excluded.body`,
      ),
      remove: db.prepare('DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?'),
      history: db.prepare(
        `INSERT INTO history (rv, time, actor, verb, kind, namespace, name, uid, before, after)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /** Opens (creating if needed) the store in a data directory. */
  static open(options: SqliteStoreOptions): SqliteResourceStore {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const db = new Database(join(options.dataDir, 'store.db'));
    try {
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteResourceStore(db, options);
  }

  /** Swaps the registry/settings the write-time analysis sees (the registry arrives after the store). */
  setAnalysisSource(source: AnalysisSource): void {
    this.analysis = source;
  }

  async revision(): Promise<string> {
    return String(this.rev);
  }

  async get(ref: ResourceRef): Promise<MeshResource | undefined> {
    const r = this.objects.get(refKey(ref));
    return r ? cloneJson(r) : undefined;
  }

  async list(options: ListOptions): Promise<ListResult> {
    const sel = parseSelectors(options.labelSelector, options.fieldSelector);
    if (!sel.ok) throw new StoreError({ reason: 'BadRequest', message: sel.message });
    return {
      items: this.select({ ...options, match: sel.match }).map(cloneJson),
      resourceVersion: String(this.rev),
    };
  }

  /** Current objects in scope, sorted as etcd keys sort (kind, namespace, name). */
  private select(filter: WatchFilter): MeshResource[] {
    const out: MeshResource[] = [];
    for (const r of this.objects.values()) if (inScope(filter, r)) out.push(r);
    const order = (k: MeshKind) => KINDS.findIndex((i) => i.kind === k);
    // Byte order, as etcd sorts keys (localeCompare would depend on the machine's locale).
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    return out.sort(
      (a, b) =>
        order(a.kind) - order(b.kind) ||
        cmp(a.metadata.namespace, b.metadata.namespace) ||
        cmp(a.metadata.name, b.metadata.name),
    );
  }

  async create(obj: unknown, options: WriteOptions): Promise<WriteResult> {
    const p = peek(obj);
    const info = kindByName(p.kind);
    if (!info) return { ok: false, error: { reason: 'BadRequest', message: `unknown kind "${p.kind}"` } };
    // generateName: the server picks the name, before validation (which requires one).
    const input =
      p.name === '' && p.generateName !== '' && isJsonObject(obj) && isJsonObject(obj.metadata)
        ? { ...obj, metadata: { ...obj.metadata, name: `${p.generateName}${randomSuffix()}` } }
        : obj;
    const v = this.check(info, input, options, p.namespace || 'default');
    if (!v.ok) return v;
    const ref = refOfResource(v.resource);
    if (this.objects.has(refKey(ref))) return { ok: false, error: { reason: 'AlreadyExists', ref } };
    const stored = this.stamp(info, v.resource, {
      uid: randomUUID(),
      creationTimestamp: rfc3339Seconds(this.now()),
      generation: 1,
    });
    return this.commit('create', null, stored, v.warnings, options);
  }

  async update(obj: unknown, options: WriteOptions): Promise<WriteResult> {
    const p = peek(obj);
    const info = kindByName(p.kind);
    if (!info) return { ok: false, error: { reason: 'BadRequest', message: `unknown kind "${p.kind}"` } };
    const ref: ResourceRef = { kind: info.kind, namespace: p.namespace || 'default', name: p.name };
    const current = this.objects.get(refKey(ref));
    if (!current) return { ok: false, error: { reason: 'NotFound', ref } };
    const v = this.check(info, obj, options, ref.namespace);
    if (!v.ok) return v;
    const rv = v.resource.metadata.resourceVersion;
    if (rv === undefined || rv === '')
      return {
        ok: false,
        error: {
          reason: 'Invalid',
          ref,
          causes: [
            {
              reason: 'FieldValueInvalid',
              field: 'metadata.resourceVersion',
              message: 'Invalid value: 0x0: must be specified for an update',
            },
          ],
        },
      };
    const uidMismatch = checkPreconditions(ref, current, { uid: v.resource.metadata.uid });
    if (uidMismatch) return { ok: false, error: uidMismatch };
    if (rv !== current.metadata.resourceVersion) return { ok: false, error: { reason: 'Conflict', ref } };
    return this.replace(info, current, v.resource, 'update', v.warnings, options);
  }

  async patch(
    ref: ResourceRef,
    patch: Patch,
    options: WriteOptions & { preconditions?: Preconditions },
  ): Promise<WriteResult> {
    const info = kindByName(ref.kind);
    if (!info) return { ok: false, error: { reason: 'BadRequest', message: `unknown kind "${ref.kind}"` } };
    const current = this.objects.get(refKey(ref));
    if (!current) {
      if (patch.type !== 'apply') return { ok: false, error: { reason: 'NotFound', ref } };
      // Server-side apply creates what does not exist yet.
      const body = isJsonObject(patch.patch) ? cloneJson(patch.patch) : {};
      const meta = isJsonObject(body.metadata) ? body.metadata : {};
      body.metadata = { ...meta, name: ref.name, namespace: ref.namespace };
      const created = await this.create(body, options);
      return created;
    }
    const stale = checkPreconditions(ref, current, options.preconditions);
    if (stale) return { ok: false, error: stale };

    const base = current as unknown as JsonValue;
    let patched: JsonValue;
    if (patch.type === 'json') {
      const r = jsonPatch(base, patch.patch);
      if (!r.ok)
        return {
          ok: false,
          error: { reason: 'BadRequest', message: `the JSON patch could not be applied: ${r.message}` },
        };
      patched = r.value;
    } else if (patch.type === 'apply') {
      if (!isJsonObject(patch.patch))
        return { ok: false, error: { reason: 'BadRequest', message: 'an apply patch must be an object' } };
      patched = applyOver(current, patch.patch);
    } else {
      if (!isJsonObject(patch.patch))
        return { ok: false, error: { reason: 'BadRequest', message: 'a merge patch must be a JSON object' } };
      patched = mergePatch(base, patch.patch);
    }
    const p = peek(patched);
    if (p.name !== ref.name || (p.namespace !== '' && p.namespace !== ref.namespace))
      return {
        ok: false,
        error: {
          reason: 'BadRequest',
          message: `the name of the object (${p.name}) does not match the name on the URL (${ref.name})`,
        },
      };
    if (p.kind !== ref.kind)
      return {
        ok: false,
        error: { reason: 'BadRequest', message: `the patch may not change kind to "${p.kind}"` },
      };
    // A patch that carries metadata.resourceVersion asks for optimistic concurrency, as in Kubernetes.
    const requested = peekResourceVersion(patched);
    if (requested !== undefined && requested !== current.metadata.resourceVersion)
      return { ok: false, error: { reason: 'Conflict', ref } };

    const v = this.check(info, patched, options, ref.namespace);
    if (!v.ok) return v;
    return this.replace(
      info,
      current,
      v.resource,
      patch.type === 'apply' ? 'apply' : 'patch',
      v.warnings,
      options,
    );
  }

  async delete(
    ref: ResourceRef,
    options: WriteOptions & { preconditions?: Preconditions },
  ): Promise<WriteResult> {
    const current = this.objects.get(refKey(ref));
    if (!current) return { ok: false, error: { reason: 'NotFound', ref } };
    const stale = checkPreconditions(ref, current, options.preconditions);
    if (stale) return { ok: false, error: stale };
    return this.commit('delete', current, null, [], options);
  }

  async watch(options: WatchOptions, callbacks: WatchCallbacks): Promise<WatchStart> {
    const sel = parseSelectors(options.labelSelector, options.fieldSelector);
    if (!sel.ok) return { ok: false, error: { reason: 'BadRequest', message: sel.message } };
    const filter: WatchFilter = { match: sel.match };
    if (options.kind !== undefined) filter.kind = options.kind;
    if (options.namespace !== undefined) filter.namespace = options.namespace;
    const from = options.resourceVersion ?? '';
    if (from !== '' && !/^\d+$/.test(from))
      return { ok: false, error: { reason: 'BadRequest', message: `invalid resourceVersion "${from}"` } };
    const fromRev = from === '' ? 0 : Number(from);
    const initial = from === '' || from === '0' || options.sendInitialEvents === true;
    if (!initial && fromRev < this.compacted)
      return { ok: false, error: { reason: 'Expired', requested: from, oldest: String(this.compacted) } };

    // Everything below runs without yielding, so no commit can slip between the catch-up and the
    // subscription: the watcher sees each change exactly once, in order.
    const send = (e: WatchEvent) => callbacks.onEvent(e);
    if (initial) {
      for (const r of this.select(filter)) send({ type: 'ADDED', object: cloneJson(r) });
      if (options.sendInitialEvents === true) {
        const bookmark: WatchEvent = {
          type: 'BOOKMARK',
          resourceVersion: String(this.rev),
          initialEventsEnd: true,
        };
        if (options.kind !== undefined) bookmark.kind = options.kind;
        send(bookmark);
      }
    } else {
      const rows = this.db
        .prepare<[number], HistoryRow>('SELECT * FROM history WHERE rv > ? ORDER BY rv')
        .iterate(fromRev) as IterableIterator<HistoryRow>;
      for (const row of rows) {
        const e = eventOfRow(row, filter);
        if (e) send(e);
      }
    }
    const stop = this.hub.subscribe(
      filter,
      callbacks,
      options.bookmarks ? this.bookmarkIntervalMs : undefined,
    );
    return { ok: true, stop };
  }

  async history(ref: ResourceRef): Promise<HistoryEntry[]> {
    return this.listHistory({
      kind: ref.kind,
      namespace: ref.namespace,
      name: ref.name,
      limit: Number.MAX_SAFE_INTEGER,
    });
  }

  async listHistory(query: HistoryQuery): Promise<HistoryEntry[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.kind !== undefined) where.push('kind = ?') && args.push(query.kind);
    if (query.namespace !== undefined) where.push('namespace = ?') && args.push(query.namespace);
    if (query.name !== undefined) where.push('name = ?') && args.push(query.name);
    if (query.after !== undefined) where.push('rv > ?') && args.push(Number(query.after));
    const sql = `SELECT * FROM history ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY rv ${query.newestFirst ? 'DESC' : 'ASC'} LIMIT ?`;
    args.push(Math.max(0, Math.min(query.limit ?? 1000, Number.MAX_SAFE_INTEGER)));
    return this.db
      .prepare<(string | number)[], HistoryRow>(sql)
      .all(...args)
      .map(entryOfRow);
  }

  async historyEntry(resourceVersion: string): Promise<HistoryEntry | undefined> {
    if (!/^\d+$/.test(resourceVersion)) return undefined;
    const row = this.db
      .prepare<[number], HistoryRow>('SELECT * FROM history WHERE rv = ?')
      .get(Number(resourceVersion));
    return row ? entryOfRow(row) : undefined;
  }

  /**
   * Drops history up to and including `throughRevision` (like etcd compaction). Watches from an
   * older version then get Expired. Nothing calls this by default: history is the audit log.
   */
  compact(throughRevision: number): void {
    const through = Math.min(throughRevision, this.rev);
    if (through <= this.compacted) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM history WHERE rv <= ?').run(through);
      this.stmt.setMeta.run('compacted', String(through));
    })();
    this.compacted = through;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll('store closed');
    this.db.close();
  }

  /** Validates untrusted input as `info.kind`; fills the namespace from the request. */
  private check(
    info: KindInfo,
    obj: unknown,
    options: WriteOptions,
    namespace: string,
  ): { ok: true; resource: MeshResource; warnings: string[] } | { ok: false; error: StoreFailure } {
    const p = peek(obj);
    const ref: ResourceRef = { kind: info.kind, namespace: p.namespace || namespace, name: p.name };
    let input = obj;
    if (isJsonObject(obj) && isJsonObject(obj.metadata) && p.namespace === '')
      input = { ...obj, metadata: { ...obj.metadata, namespace } };
    const result = this.validate(input, { fieldValidation: options.fieldValidation ?? 'Warn', namespace });
    if (!result.valid) return { ok: false, error: { reason: 'Invalid', ref, causes: result.causes } };
    const resource = result.resource;
    const causes: FieldCause[] = [];
    if (resource.kind !== info.kind)
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'kind',
        message: `Invalid value: "${resource.kind}"`,
      });
    if (!resource.metadata.name)
      causes.push({
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      });
    if (causes.length > 0) return { ok: false, error: { reason: 'Invalid', ref, causes } };
    if (!resource.metadata.namespace) resource.metadata.namespace = namespace;
    return { ok: true, resource, warnings: result.warnings };
  }

  /** The object as stored: storage apiVersion, server-owned metadata set, client-only fields dropped. */
  private stamp(
    info: KindInfo,
    r: MeshResource,
    owned: { uid: string; creationTimestamp: string; generation: number },
  ): MeshResource {
    const metadata: ObjectMeta & Record<string, unknown> = { ...r.metadata };
    for (const f of SERVER_FIELDS) delete metadata[f];
    metadata.uid = owned.uid;
    metadata.creationTimestamp = owned.creationTimestamp;
    metadata.generation = owned.generation;
    delete metadata.resourceVersion;
    return { ...r, apiVersion: `${info.group}/${info.storageVersion}`, metadata };
  }

  /** Update and patch share this: keep what the server owns, bump generation on spec change. */
  private replace(
    info: KindInfo,
    current: MeshResource,
    next: MeshResource,
    verb: HistoryVerb,
    warnings: string[],
    options: WriteOptions,
  ): WriteResult {
    const specChanged = !jsonEqual(current.spec, next.spec);
    const stored = this.stamp(info, next, {
      uid: current.metadata.uid ?? randomUUID(),
      creationTimestamp: current.metadata.creationTimestamp ?? rfc3339Seconds(this.now()),
      generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0),
    });
    const candidate = {
      ...stored,
      metadata: { ...stored.metadata, resourceVersion: current.metadata.resourceVersion },
    };
    if (jsonEqual(candidate, current)) {
      // Nothing changed: like the API server, no new version, no history row, no watch event.
      return { ok: true, resource: cloneJson(current), warnings, changed: false };
    }
    return this.commit(verb, current, stored, warnings, options);
  }

  /** The one place that writes: revision, object row, history row, then the watchers. */
  private commit(
    verb: HistoryVerb,
    before: MeshResource | null,
    after: MeshResource | null,
    validationWarnings: string[],
    options: WriteOptions,
  ): WriteResult {
    if (this.closed) throw new Error('the resource store is closed');
    const subject = (after ?? before) as MeshResource;
    const ref = refOfResource(subject);
    const rv = this.rev + 1;
    const resourceVersion = String(rv);
    const stamped = after ? { ...after, metadata: { ...after.metadata, resourceVersion } } : null;
    const warnings = [...validationWarnings];
    if (stamped) {
      const resources = [...this.objects.values()].filter((r) => refKey(refOfResource(r)) !== refKey(ref));
      resources.push(stamped);
      try {
        warnings.push(...findingsFor(resources, ref, this.analysis, resourceVersion));
      } catch (err) {
        // Analysis only advises; a fault in it must not block a valid write.
        warnings.push(`analysis failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const result = stamped ?? {
      ...(before as MeshResource),
      metadata: { ...(before as MeshResource).metadata, resourceVersion },
    };
    if (options.dryRun) {
      // A dry run shows the outcome but spends no version (Kubernetes leaves it unset too).
      const shown: MeshResource = cloneJson(result);
      if (!before) delete shown.metadata.resourceVersion;
      else shown.metadata.resourceVersion = before.metadata.resourceVersion ?? '';
      return { ok: true, resource: shown, warnings, changed: true };
    }
    const uid = subject.metadata.uid ?? '';
    const time = this.now().toISOString();
    this.db.transaction(() => {
      if (stamped) this.stmt.upsert.run(ref.kind, ref.namespace, ref.name, uid, rv, JSON.stringify(stamped));
      else this.stmt.remove.run(ref.kind, ref.namespace, ref.name);
      this.stmt.history.run(
        rv,
        time,
        options.actor,
        verb,
        ref.kind,
        ref.namespace,
        ref.name,
        uid,
        before ? JSON.stringify(before) : null,
        stamped ? JSON.stringify(stamped) : null,
      );
      this.stmt.setMeta.run('revision', resourceVersion);
    })();
    this.rev = rv;
    if (stamped) this.objects.set(refKey(ref), stamped);
    else this.objects.delete(refKey(ref));
    const change: Change = { resourceVersion, before, after: stamped };
    this.hub.publish(change);
    return { ok: true, resource: cloneJson(result), warnings, changed: true };
  }
}

function refOfResource(r: MeshResource): ResourceRef {
  return { kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name };
}

/** Simplified server-side apply (see Patch in ./types): spec replaced, labels and annotations merged. */
function applyOver(current: MeshResource, applied: JsonObject): JsonValue {
  const live = cloneJson(current) as unknown as JsonObject;
  const liveMeta = isJsonObject(live.metadata) ? live.metadata : {};
  const meta = isJsonObject(applied.metadata) ? applied.metadata : {};
  const mergeMap = (key: 'labels' | 'annotations') => {
    const a = isJsonObject(liveMeta[key]) ? liveMeta[key] : {};
    const b = isJsonObject(meta[key]) ? meta[key] : {};
    return { ...a, ...b };
  };
  const metadata: JsonObject = { ...liveMeta };
  for (const key of ['labels', 'annotations'] as const) {
    const merged = mergeMap(key);
    if (Object.keys(merged).length > 0) metadata[key] = merged;
  }
  const out: JsonObject = { ...live, metadata };
  if (typeof applied.apiVersion === 'string') out.apiVersion = applied.apiVersion;
  if (applied.spec !== undefined) out.spec = applied.spec;
  if (typeof meta.resourceVersion === 'string') metadata.resourceVersion = meta.resourceVersion;
  return out;
}

function peekResourceVersion(obj: JsonValue): string | undefined {
  if (!isJsonObject(obj) || !isJsonObject(obj.metadata)) return undefined;
  const rv = obj.metadata.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

function isVerb(v: string): v is HistoryVerb {
  return v === 'create' || v === 'update' || v === 'patch' || v === 'apply' || v === 'delete';
}

function entryOfRow(row: HistoryRow): HistoryEntry {
  return {
    resourceVersion: String(row.rv),
    time: row.time,
    actor: row.actor,
    verb: isVerb(row.verb) ? row.verb : 'update',
    ref: { kind: row.kind as MeshKind, namespace: row.namespace, name: row.name },
    uid: row.uid,
    before: row.before === null ? null : (JSON.parse(row.before) as MeshResource),
    after: row.after === null ? null : (JSON.parse(row.after) as MeshResource),
  };
}

function eventOfRow(row: HistoryRow, filter: WatchFilter): WatchEvent | undefined {
  if (filter.kind !== undefined && row.kind !== filter.kind) return undefined;
  if (filter.namespace !== undefined && row.namespace !== filter.namespace) return undefined;
  const e = entryOfRow(row);
  return eventFor({ resourceVersion: e.resourceVersion, before: e.before, after: e.after }, filter);
}
