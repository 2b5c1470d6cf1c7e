/**
 * The ResourceStore: where mesh resources live. The embedded implementation keeps them in SQLite
 * (./sqlite-store); a Kubernetes one (CRDs through @kubernetes/client-node) comes later, so
 * nothing here mentions SQL. Semantics follow the Kubernetes API server:
 *
 * - one global, monotonically increasing resourceVersion (like an etcd revision), as a decimal
 *   string; every change gets the next one;
 * - uid, creationTimestamp and generation (bumped when `spec` changes) are set by the store;
 * - writes carry an expected resourceVersion and fail with Conflict when it is stale;
 * - every object is validated before it is stored (Invalid, one cause per problem, nothing stored);
 * - an append-only history of every change (who, when, before, after) for audit and revert;
 * - watches deliver changes in commit order from a resourceVersion, so a client that resumes from
 *   the last version it saw misses nothing.
 */
import type { FieldCause, MeshKind, MeshResource, ResourceRef } from '@trellis/shared';
import type { JsonValue } from './json';

/** Kubernetes' fieldValidation query parameter: what to do about fields the schema does not know. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  /** Who makes the change (recorded in the history): a user name or "anonymous". */
  actor: string;
  /** Validate and compute the result, store nothing (Kubernetes dryRun=All). */
  dryRun?: boolean;
  /** Default Warn, as the API server's. */
  fieldValidation?: FieldValidation;
}

/** Preconditions of a patch or delete (DeleteOptions.preconditions). */
export interface Preconditions {
  resourceVersion?: string;
  uid?: string;
}

/** The patch formats the API accepts for the mesh kinds (strategic merge patch is not one: CRDs lack it). */
export type Patch =
  /** RFC 7386 JSON merge patch (application/merge-patch+json). */
  | { type: 'merge'; patch: JsonValue }
  /** RFC 6902 JSON patch (application/json-patch+json). */
  | { type: 'json'; patch: JsonValue }
  /**
   * Server-side apply (application/apply-patch+yaml), simplified for one applier: the applied
   * object's spec replaces the live spec (so fields dropped from the file go away), labels and
   * annotations are merged over the live ones, and an absent object is created. Field ownership
   * between several managers is not tracked.
   */
  | { type: 'apply'; patch: JsonValue; fieldManager: string; force: boolean };

export type StoreFailure =
  | { reason: 'NotFound'; ref: ResourceRef }
  | { reason: 'AlreadyExists'; ref: ResourceRef }
  /** A precondition (resourceVersion or uid) did not hold: a stale write. */
  | { reason: 'Conflict'; ref: ResourceRef; message?: string }
  | { reason: 'Invalid'; ref: ResourceRef; causes: FieldCause[] }
  /** The request itself is malformed (bad selector, bad patch document, kind mismatch). */
  | { reason: 'BadRequest'; message: string }
  /** A watch from a resourceVersion whose history has been compacted away. */
  | { reason: 'Expired'; requested: string; oldest: string };

export type WriteResult =
  | {
      ok: true;
      /** The object as stored (for delete: as it was, with the deletion's resourceVersion). */
      resource: MeshResource;
      /** Non-blocking findings about this object: schema warnings and analyze() messages. */
      warnings: string[];
      /** False when the write changed nothing (same object), so no version was used. */
      changed: boolean;
    }
  | { ok: false; error: StoreFailure };

export interface ListOptions {
  /** Absent: every kind (a consistent snapshot of the whole mesh). */
  kind?: MeshKind;
  /** Absent: every namespace. */
  namespace?: string;
  /** Kubernetes label selector syntax: "app=reviews,version in (v1,v2),!canary". */
  labelSelector?: string;
  /** metadata.name and metadata.namespace with =, == and !=. */
  fieldSelector?: string;
}

export interface ListResult {
  items: MeshResource[];
  /** The store's resourceVersion the list was read at: watch from it to miss nothing. */
  resourceVersion: string;
}

export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: MeshResource }
  /**
   * Progress: every change up to resourceVersion has been delivered. `initialEventsEnd` marks the
   * end of the initial ADDED events when sendInitialEvents was asked for.
   */
  | { type: 'BOOKMARK'; kind?: MeshKind; resourceVersion: string; initialEventsEnd?: boolean };

export interface WatchOptions extends ListOptions {
  /**
   * Deliver every change after this version. Absent or "0": first an ADDED event for every
   * current object (like Kubernetes), then changes.
   */
  resourceVersion?: string;
  /** With a resourceVersion: also send the current objects as ADDED first, then a BOOKMARK. */
  sendInitialEvents?: boolean;
  /** Send BOOKMARK events every bookmarkIntervalMs (store option) when nothing else flows. */
  bookmarks?: boolean;
}

export interface WatchCallbacks {
  /** Called in commit order, synchronously with the write; must not throw or block. */
  onEvent(event: WatchEvent): void;
  /** The watch ended from the store's side (store closed); resume from the last version seen. */
  onClose?(reason: string): void;
}

export type WatchStart = { ok: true; stop(): void } | { ok: false; error: StoreFailure };

export type HistoryVerb = 'create' | 'update' | 'patch' | 'apply' | 'delete';

/** One change, as recorded: the audit log and the input of a revert. */
export interface HistoryEntry {
  /** The resourceVersion this change produced. */
  resourceVersion: string;
  /** RFC 3339 time of the change. */
  time: string;
  actor: string;
  verb: HistoryVerb;
  ref: ResourceRef;
  uid: string;
  /** Null for a create. */
  before: MeshResource | null;
  /** Null for a delete. */
  after: MeshResource | null;
}

export interface HistoryQuery {
  kind?: MeshKind;
  namespace?: string;
  name?: string;
  /** Only changes after this resourceVersion. */
  after?: string;
  /** Newest first when true (the audit view); oldest first otherwise. */
  newestFirst?: boolean;
  /** At most this many entries (default 1000). */
  limit?: number;
}

export interface ResourceStore {
  /** The newest resourceVersion. */
  revision(): Promise<string>;
  get(ref: ResourceRef): Promise<MeshResource | undefined>;
  list(options: ListOptions): Promise<ListResult>;
  /** `obj` is untrusted input (any served apiVersion); it is validated here. */
  create(obj: unknown, options: WriteOptions): Promise<WriteResult>;
  /** Replaces the object; `obj.metadata.resourceVersion` must be the current one (else Conflict). */
  update(obj: unknown, options: WriteOptions): Promise<WriteResult>;
  patch(
    ref: ResourceRef,
    patch: Patch,
    options: WriteOptions & { preconditions?: Preconditions },
  ): Promise<WriteResult>;
  delete(ref: ResourceRef, options: WriteOptions & { preconditions?: Preconditions }): Promise<WriteResult>;
  watch(options: WatchOptions, callbacks: WatchCallbacks): Promise<WatchStart>;
  /** Every change of one object (across delete and re-create), oldest first. */
  history(ref: ResourceRef): Promise<HistoryEntry[]>;
  listHistory(query: HistoryQuery): Promise<HistoryEntry[]>;
  /** One change by the resourceVersion it produced. */
  historyEntry(resourceVersion: string): Promise<HistoryEntry | undefined>;
  close(): Promise<void>;
}

/** Thrown by reads that cannot return a result union (list with a malformed selector). */
export class StoreError extends Error {
  constructor(readonly failure: StoreFailure) {
    super(failure.reason === 'BadRequest' ? failure.message : failure.reason);
    this.name = 'StoreError';
  }
}
