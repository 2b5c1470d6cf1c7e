import type { HistoryChangeVerb, RevertAction } from '@trellis/shared/history-api';
import type { MeshKind } from '@trellis/shared/kinds';
import type { ConsoleErrorBody } from '@/lib/errors';
import type { PolicyRef } from './model/ref';

/**
 * The policy studio's wire types: what its console routes (/api/policies…, /api/history…) answer.
 * Failures are `{ error: ConsoleErrorBody }` as everywhere in the console: 409
 * CONTROL_PLANE_CONFLICT (stale resourceVersion, already exists, changed since), 422
 * CONTROL_PLANE_INVALID (with `causes`, one per field path), 400 INVALID_REQUEST (YAML the studio
 * cannot read, causes carry the line in `field` as "line N"), 401/403 from requireOperator.
 */

export type { PolicyRef };

export interface PolicySummary extends PolicyRef {
  resourceVersion: string;
  generation: number | null;
  /** RFC 3339. */
  created: string | null;
  /** One line per kind: VirtualService hosts and weights, DestinationRule host and subsets, mTLS mode, action. */
  summary: string;
}

/** GET /api/policies?kind=&namespace= */
export interface PolicyListResponse {
  items: PolicySummary[];
  /** Namespaces that hold a policy, plus "default". */
  namespaces: string[];
  /** Kinds whose list failed; the others are still shown. */
  failures: { kind: MeshKind; error: ConsoleErrorBody }[];
}

/** GET /api/policies/KIND/NAMESPACE/NAME */
export interface PolicyDetail {
  ref: PolicyRef;
  resourceVersion: string;
  /** The editable form (server-owned metadata left out). */
  yaml: string;
}

/** POST /api/policies/check and /api/policies/apply */
export interface PolicyWriteRequest {
  yaml: string;
  /** The stored version the text was based on: set → update (409 if stale); absent → create. */
  resourceVersion?: string | null;
}

export interface PolicyWriteResult {
  action: 'create' | 'update';
  dryRun: boolean;
  ref: PolicyRef;
  /** The new resourceVersion (apply), or the base one (check of an update), or null (check of a create). */
  resourceVersion: string | null;
  /** The object as the control plane would store it, editable form. */
  yaml: string;
  /** Validation warnings and analysis findings, as `kubectl apply` prints them. */
  warnings: string[];
}

export interface HistoryItem {
  resourceVersion: string;
  time: string;
  actor: string;
  verb: HistoryChangeVerb;
  ref: PolicyRef;
  /** Editable forms of the object before and after the change (null: did not exist). */
  beforeYaml: string | null;
  afterYaml: string | null;
}

/** GET /api/history?kind=&namespace=&name= */
export interface HistoryResponse {
  items: HistoryItem[];
}

/** POST /api/history/RV/revert, body { force?: boolean } */
export interface RevertRequest {
  force?: boolean;
}

export interface RevertResponse {
  reverted: string;
  action: RevertAction;
  changed: boolean;
  ref: PolicyRef;
  /** The version the revert produced (null when nothing changed). */
  resourceVersion: string | null;
  /** The restored object, editable form; null when the revert deleted it. */
  yaml: string | null;
  warnings: string[];
}
