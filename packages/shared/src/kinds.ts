/**
 * The mesh kinds Trellis serves, at the API versions Istio serves them.
 * One table drives discovery, the REST routes, the OpenAPI documents and the CRDs.
 */
export type MeshKind = 'VirtualService' | 'DestinationRule' | 'PeerAuthentication' | 'AuthorizationPolicy';

export interface KindInfo {
  readonly kind: MeshKind;
  readonly group: 'networking.istio.io' | 'security.istio.io';
  /** Served versions, oldest first. All share one schema, as Istio's CRDs do. */
  readonly versions: readonly string[];
  /** The version objects are stored and returned at when a client does not say. */
  readonly storageVersion: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly listKind: string;
}

export const KINDS: readonly KindInfo[] = [
  {
    kind: 'VirtualService',
    group: 'networking.istio.io',
    versions: ['v1alpha3', 'v1beta1', 'v1'],
    storageVersion: 'v1',
    plural: 'virtualservices',
    singular: 'virtualservice',
    shortNames: ['vs'],
    listKind: 'VirtualServiceList',
  },
  {
    kind: 'DestinationRule',
    group: 'networking.istio.io',
    versions: ['v1alpha3', 'v1beta1', 'v1'],
    storageVersion: 'v1',
    plural: 'destinationrules',
    singular: 'destinationrule',
    shortNames: ['dr'],
    listKind: 'DestinationRuleList',
  },
  {
    kind: 'PeerAuthentication',
    group: 'security.istio.io',
    versions: ['v1beta1', 'v1'],
    storageVersion: 'v1',
    plural: 'peerauthentications',
    singular: 'peerauthentication',
    shortNames: ['pa'],
    listKind: 'PeerAuthenticationList',
  },
  {
    kind: 'AuthorizationPolicy',
    group: 'security.istio.io',
    versions: ['v1beta1', 'v1'],
    storageVersion: 'v1',
    plural: 'authorizationpolicies',
    singular: 'authorizationpolicy',
    shortNames: ['ap'],
    listKind: 'AuthorizationPolicyList',
  },
];

export function kindByName(kind: string): KindInfo | undefined {
  return KINDS.find((k) => k.kind === kind);
}

export function kindByPlural(group: string, plural: string): KindInfo | undefined {
  return KINDS.find((k) => k.group === group && k.plural === plural);
}

/** Parses "group/version" into its parts; the core group has no slash. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The mesh root namespace: mesh-wide PeerAuthentication lives here, as in Istio. */
export const ROOT_NAMESPACE = 'istio-system';
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';
