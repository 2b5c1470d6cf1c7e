/**
 * The change history API: the store's audit log (every create, update, patch, apply and delete,
 * with who made it and the object before and after) and the revert of one change. Served by the
 * control plane under HISTORY_API_PREFIX (docs/api.md, "History and revert"); the console's
 * policy studio reads it.
 */
import type { MeshKind } from './kinds';
import type { MeshResource } from './resource';

export const HISTORY_API_PREFIX = '/api/v1/mesh/history';

export const HISTORY_PATHS = {
  /** GET ?kind=&namespace=&name=&limit= → HistoryList, newest first */
  list: HISTORY_API_PREFIX,
  /** POST [RevertRequest] [?dryRun=All] → RevertResult; 404 no such change, 409 changed since, 422 invalid */
  revert: (resourceVersion: string) => `${HISTORY_API_PREFIX}/${encodeURIComponent(resourceVersion)}/revert`,
} as const;

/** Default and largest page of GET /api/v1/mesh/history. */
export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 1000;

export type HistoryChangeVerb = 'create' | 'update' | 'patch' | 'apply' | 'delete';

/** One recorded change. */
export interface HistoryChange {
  /** The resourceVersion this change produced (the store's global counter): the change's id. */
  resourceVersion: string;
  /** RFC 3339, milliseconds. */
  time: string;
  /** Impersonate-User or X-Trellis-User of the request, else "anonymous". */
  actor: string;
  verb: HistoryChangeVerb;
  kind: MeshKind;
  namespace: string;
  name: string;
  uid: string;
  /** The object before the change; null when the change created it. */
  before: MeshResource | null;
  /** The object after the change; null when the change deleted it. */
  after: MeshResource | null;
}

export interface HistoryList {
  kind: 'HistoryList';
  /** The store's newest resourceVersion when the list was read. */
  resourceVersion: string;
  /** Newest first. */
  items: HistoryChange[];
}

/** Body of POST …/history/{rv}/revert (optional; `?force=true` works too). */
export interface RevertRequest {
  /**
   * Revert even when the object changed after this change (the later changes are overwritten).
   * Without it such a revert is refused with 409 Conflict and nothing changes.
   */
  force?: boolean;
}

/** What a revert did to put the object back to its state before the change. */
export type RevertAction =
  /** The change deleted the object (or it is gone now): re-created from `before`. */
  | 'create'
  /** The object was replaced by `before` (spec, labels, annotations). */
  | 'update'
  /** The change created the object: deleted. */
  | 'delete';

export interface RevertResult {
  kind: 'RevertResult';
  /** The resourceVersion of the change that was reverted. */
  reverted: string;
  action: RevertAction;
  /** False when the object already was in that state (nothing written, no version spent). */
  changed: boolean;
  dryRun: boolean;
  /** The resourceVersion the revert produced; null for a dry run or when nothing changed. */
  resourceVersion: string | null;
  /** The object now (for a delete: the object as it was deleted). */
  object: MeshResource;
  /** Validation and analysis warnings about the restored object, as on any write. */
  warnings: string[];
}
