import { z } from 'zod';
import type { MeshKind } from '../kinds';
import type { MeshResource } from '../resource';
import { type AuthorizationPolicySpec, AuthorizationPolicySpecSchema } from './authorization-policy';
import { ObjectMetaSchema } from './common';
import { type DestinationRuleSpec, DestinationRuleSpecSchema } from './destination-rule';
import { type PeerAuthenticationSpec, PeerAuthenticationSpecSchema } from './peer-authentication';
import { type VirtualServiceSpec, VirtualServiceSpecSchema } from './virtual-service';

export * from './authorization-policy';
export * from './common';
export * from './destination-rule';
export * from './peer-authentication';
export * from './virtual-service';

/** The spec schema of each kind; one table so validation and OpenAPI cannot drift apart. */
export const SPEC_SCHEMAS = {
  VirtualService: VirtualServiceSpecSchema,
  DestinationRule: DestinationRuleSpecSchema,
  PeerAuthentication: PeerAuthenticationSpecSchema,
  AuthorizationPolicy: AuthorizationPolicySpecSchema,
} as const satisfies Record<MeshKind, z.ZodType>;

/** The spec type of each kind. */
export interface SpecByKind {
  VirtualService: VirtualServiceSpec;
  DestinationRule: DestinationRuleSpec;
  PeerAuthentication: PeerAuthenticationSpec;
  AuthorizationPolicy: AuthorizationPolicySpec;
}

/** A stored object of kind K with its typed spec. */
export type TypedResource<K extends MeshKind> = MeshResource<SpecByKind[K]> & { kind: K };

export type VirtualServiceResource = TypedResource<'VirtualService'>;
export type DestinationRuleResource = TypedResource<'DestinationRule'>;
export type PeerAuthenticationResource = TypedResource<'PeerAuthentication'>;
export type AuthorizationPolicyResource = TypedResource<'AuthorizationPolicy'>;

/** Any parsed mesh object; switch on `kind` to get the typed spec. */
export type ParsedResource =
  | VirtualServiceResource
  | DestinationRuleResource
  | PeerAuthenticationResource
  | AuthorizationPolicyResource;

/**
 * The whole-object schema of a kind as clients send it (metadata.namespace may be missing: the
 * API fills it from the URL). A missing spec means an empty one, as with Istio's CRDs.
 */
function objectSchema<K extends MeshKind, S extends z.ZodObject>(kind: K, spec: S) {
  return z.object({
    apiVersion: z.string(),
    kind: z.literal(kind),
    metadata: ObjectMetaSchema,
    // Every spec field is optional, so an empty object is a valid spec of each kind.
    spec: z.preprocess((v) => v ?? {}, spec),
    status: z.unknown().optional(),
  });
}

export const VirtualServiceSchema = objectSchema('VirtualService', VirtualServiceSpecSchema);
export const DestinationRuleSchema = objectSchema('DestinationRule', DestinationRuleSpecSchema);
export const PeerAuthenticationSchema = objectSchema('PeerAuthentication', PeerAuthenticationSpecSchema);
export const AuthorizationPolicySchema = objectSchema('AuthorizationPolicy', AuthorizationPolicySpecSchema);

export const OBJECT_SCHEMAS = {
  VirtualService: VirtualServiceSchema,
  DestinationRule: DestinationRuleSchema,
  PeerAuthentication: PeerAuthenticationSchema,
  AuthorizationPolicy: AuthorizationPolicySchema,
} as const satisfies Record<MeshKind, z.ZodType>;

/**
 * Narrows a stored object to its typed form. The store holds only validated objects, so this
 * trusts the spec's shape; use validateResource for untrusted input.
 */
export function asParsed(resource: MeshResource): ParsedResource {
  return resource as ParsedResource;
}

export function isKind<K extends MeshKind>(resource: MeshResource, kind: K): resource is TypedResource<K> {
  return resource.kind === kind;
}
