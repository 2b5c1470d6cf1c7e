/**
 * Revert of one recorded change: put the object back to its state before that change. It is an
 * ordinary write (validated, versioned, recorded with the reverting actor), never a rewrite of
 * history: reverting change N appends change M > N.
 *
 * Without `force`, a revert only applies to an object still as change N left it (same
 * resourceVersion, or still absent after a delete); anything written since would be silently
 * lost otherwise, so that is a Conflict, like a stale PUT.
 */
import type { MeshResource, ResourceRef, RevertAction, RevertResult } from '@trellis/shared';
import { Errors, type Status } from '../errors';
import type { HistoryEntry, ResourceStore, WriteOptions, WriteResult } from '../store/types';
import { statusOfFailure, subjectOf } from './present';

export type RevertOutcome = { ok: true; result: RevertResult } | { ok: false; status: Status };

export interface RevertOptions {
  actor: string;
  force: boolean;
  dryRun: boolean;
}

/** Server-owned metadata: the store sets these again, and a stale uid would fail its precondition. */
function restorable(before: MeshResource, current: MeshResource | undefined): MeshResource {
  const {
    uid: _uid,
    resourceVersion: _rv,
    creationTimestamp: _ct,
    generation: _gen,
    ...meta
  } = before.metadata;
  const metadata: MeshResource['metadata'] = { ...meta };
  if (current?.metadata.resourceVersion) metadata.resourceVersion = current.metadata.resourceVersion;
  return { ...before, metadata };
}

/** Why the object no longer is as the change left it, or undefined when it still is. */
function changedSince(entry: HistoryEntry, current: MeshResource | undefined): string | undefined {
  if (entry.after === null)
    return current
      ? `it was deleted at resourceVersion ${entry.resourceVersion} and created again since (now ${current.metadata.resourceVersion})`
      : undefined;
  if (!current) return `it was deleted after resourceVersion ${entry.resourceVersion}`;
  if (current.metadata.resourceVersion !== entry.after.metadata.resourceVersion)
    return `it changed after resourceVersion ${entry.resourceVersion} (now ${current.metadata.resourceVersion})`;
  return undefined;
}

function conflict(ref: ResourceRef, why: string): Status {
  return Errors.conflict(
    subjectOf(ref),
    `${why}; reverting would overwrite the later changes (send {"force": true} to revert anyway)`,
  );
}

export async function revertChange(
  store: ResourceStore,
  entry: HistoryEntry,
  options: RevertOptions,
): Promise<RevertOutcome> {
  const ref = entry.ref;
  const current = await store.get(ref);
  if (!options.force) {
    const why = changedSince(entry, current);
    if (why) return { ok: false, status: conflict(ref, why) };
  }
  const write: WriteOptions = { actor: options.actor, dryRun: options.dryRun };
  let action: RevertAction;
  let result: WriteResult;
  if (entry.before === null) {
    action = 'delete';
    // Gone already (only reachable with force): the state before the create holds.
    if (!current && entry.after) return { ok: true, result: unchanged(entry, action, options, entry.after) };
    if (!current) return { ok: false, status: conflict(ref, 'it is gone') };
    // The precondition closes the window between the check above and this write.
    result = await store.delete(ref, {
      ...write,
      preconditions: { resourceVersion: current.metadata.resourceVersion ?? '' },
    });
  } else if (current) {
    action = 'update';
    result = await store.update(restorable(entry.before, current), write);
  } else {
    action = 'create';
    result = await store.create(restorable(entry.before, undefined), write);
  }
  if (!result.ok) {
    // Someone wrote between our read and our write: the same Conflict a stale PUT gets.
    if (result.error.reason === 'AlreadyExists' || result.error.reason === 'NotFound')
      return { ok: false, status: conflict(ref, 'it changed while being reverted') };
    return { ok: false, status: statusOfFailure(result.error) };
  }
  return {
    ok: true,
    result: {
      kind: 'RevertResult',
      reverted: entry.resourceVersion,
      action,
      changed: result.changed,
      dryRun: options.dryRun,
      resourceVersion:
        options.dryRun || !result.changed ? null : (result.resource.metadata.resourceVersion ?? null),
      object: result.resource,
      warnings: result.warnings,
    },
  };
}

function unchanged(
  entry: HistoryEntry,
  action: RevertAction,
  options: RevertOptions,
  object: MeshResource,
): RevertResult {
  return {
    kind: 'RevertResult',
    reverted: entry.resourceVersion,
    action,
    changed: false,
    dryRun: options.dryRun,
    resourceVersion: null,
    object,
    warnings: [],
  };
}
