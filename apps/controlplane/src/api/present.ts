/**
 * From store results to what a client sees: objects at the apiVersion the client asked for (all
 * served versions share one schema, so only apiVersion changes), and store failures as the
 * Status the API server would send.
 */
import { type KindInfo, kindByName, type MeshResource, type ResourceRef } from '@trellis/shared';
import { Errors, type Status, type Subject } from '../errors';
import type { StoreFailure } from '../store/types';

export function present(r: MeshResource, info: KindInfo, version: string): MeshResource {
  return { ...r, apiVersion: `${info.group}/${version}` };
}

export function subjectOf(ref: ResourceRef): Subject {
  const info = kindByName(ref.kind);
  return {
    group: info?.group ?? '',
    resource: info?.plural ?? ref.kind.toLowerCase(),
    name: ref.name,
    kind: ref.kind,
  };
}

export function statusOfFailure(f: StoreFailure): Status {
  switch (f.reason) {
    case 'NotFound':
      return Errors.notFound(subjectOf(f.ref));
    case 'AlreadyExists':
      return Errors.alreadyExists(subjectOf(f.ref));
    case 'Conflict':
      return f.message ? Errors.conflict(subjectOf(f.ref), f.message) : Errors.conflict(subjectOf(f.ref));
    case 'Invalid':
      return Errors.invalid(subjectOf(f.ref), f.causes);
    case 'BadRequest':
      return Errors.badRequest(f.message);
    case 'Expired':
      return Errors.expired(f.requested, f.oldest);
  }
}
