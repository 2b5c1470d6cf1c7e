import type {
  AuthorizationPolicyResource,
  DestinationRuleResource,
  MeshEndpoint,
  MeshResource,
  MeshService,
  MeshSettings,
  MeshSnapshot,
  PeerAuthenticationResource,
  VirtualServiceResource,
} from '@trellis/shared';
import { isKind } from '@trellis/shared';

/**
 * The snapshot regrouped for lookups. Resources of each kind are ordered oldest first (then by
 * namespace/name), because Istio resolves conflicts between equally specific objects in favour of
 * the oldest one; the order also keeps translate's output deterministic.
 */
export interface MeshIndex {
  virtualServices: VirtualServiceResource[];
  destinationRules: DestinationRuleResource[];
  peerAuthentications: PeerAuthenticationResource[];
  authorizationPolicies: AuthorizationPolicyResource[];
  /** Sorted by hostname. */
  services: MeshService[];
  servicesByHost: Map<string, MeshService>;
  endpoints: readonly MeshEndpoint[];
  settings: MeshSettings;
}

function byAge(a: MeshResource, b: MeshResource): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

// The push loop translates one snapshot for every proxy; index it once. Snapshots are immutable.
const indexes = new WeakMap<MeshSnapshot, MeshIndex>();

export function indexSnapshot(snapshot: MeshSnapshot): MeshIndex {
  let index = indexes.get(snapshot);
  if (!index) {
    index = buildIndex(snapshot);
    indexes.set(snapshot, index);
  }
  return index;
}

function buildIndex(snapshot: MeshSnapshot): MeshIndex {
  const sorted = [...snapshot.resources].sort(byAge);
  const services = [...snapshot.registry.services].sort((a, b) => (a.hostname < b.hostname ? -1 : 1));
  return {
    virtualServices: sorted.filter((r) => isKind(r, 'VirtualService')),
    destinationRules: sorted.filter((r) => isKind(r, 'DestinationRule')),
    peerAuthentications: sorted.filter((r) => isKind(r, 'PeerAuthentication')),
    authorizationPolicies: sorted.filter((r) => isKind(r, 'AuthorizationPolicy')),
    services,
    servicesByHost: new Map(services.map((s) => [s.hostname, s])),
    endpoints: snapshot.registry.endpoints,
    settings: snapshot.settings,
  };
}
