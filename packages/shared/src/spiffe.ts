/**
 * Workload identities as SPIFFE ids, the form Istio puts in a workload certificate's URI SAN:
 * `spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT`. The CA writes them, the proxy reads
 * them from the peer's certificate, and AuthorizationPolicy principals are the same string
 * without the `spiffe://` scheme.
 */
export interface WorkloadIdentity {
  trustDomain: string;
  namespace: string;
  serviceAccount: string;
}

export const DEFAULT_TRUST_DOMAIN = 'cluster.local';

export type SpiffeParseResult = { ok: true; identity: WorkloadIdentity } | { ok: false; reason: string };

// SPIFFE-ID spec §2.1: trust domain is lowercase letters, digits, dots, dashes and underscores.
const TRUST_DOMAIN = /^[a-z0-9._-]{1,255}$/;
// Kubernetes names: a namespace is a DNS-1123 label, a service account a DNS-1123 subdomain.
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why an identity is not usable, or undefined when it is. */
export function identityProblem(id: WorkloadIdentity): string | undefined {
  if (!TRUST_DOMAIN.test(id.trustDomain))
    return `trust domain "${id.trustDomain}" is not a valid SPIFFE trust domain`;
  if (!DNS_LABEL.test(id.namespace)) return `namespace "${id.namespace}" is not a DNS-1123 label`;
  if (!DNS_SUBDOMAIN.test(id.serviceAccount))
    return `service account "${id.serviceAccount}" is not a DNS-1123 subdomain`;
  return undefined;
}

export function spiffeUri(id: WorkloadIdentity): string {
  return `spiffe://${id.trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}`;
}

/** Istio's principal form (AuthorizationPolicy `source.principals`): the URI without its scheme. */
export function principalOf(id: WorkloadIdentity): string {
  return `${id.trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}`;
}

export function parseSpiffeUri(uri: string): SpiffeParseResult {
  const prefix = 'spiffe://';
  if (!uri.startsWith(prefix)) return { ok: false, reason: `"${uri}" is not a spiffe:// URI` };
  const parts = uri.slice(prefix.length).split('/');
  if (parts.length !== 5 || parts[1] !== 'ns' || parts[3] !== 'sa')
    return { ok: false, reason: `"${uri}" is not of the form spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/ACCOUNT` };
  const identity = { trustDomain: parts[0]!, namespace: parts[2]!, serviceAccount: parts[4]! };
  const problem = identityProblem(identity);
  return problem ? { ok: false, reason: problem } : { ok: true, identity };
}

export function sameIdentity(a: WorkloadIdentity, b: WorkloadIdentity): boolean {
  return (
    a.trustDomain === b.trustDomain && a.namespace === b.namespace && a.serviceAccount === b.serviceAccount
  );
}

/**
 * The control plane's own identity on its gRPC port: proxies check it once they talk TLS to it,
 * as Istio's proxies check istiod.
 */
export function controlPlaneIdentity(trustDomain: string = DEFAULT_TRUST_DOMAIN): WorkloadIdentity {
  return { trustDomain, namespace: 'trellis-system', serviceAccount: 'trellis-controlplane' };
}
