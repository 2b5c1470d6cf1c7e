import type { PeerCertificate, TLSSocket } from 'node:tls';
import { parseSpiffeUri, principalOf, type WorkloadIdentity } from '@trellis/shared/spiffe';

export interface PeerIdentity {
  /** spiffe://TRUST_DOMAIN/ns/NS/sa/SA, as metrics' source_principal shows it. */
  spiffeId: string;
  identity: WorkloadIdentity;
  /** TRUST_DOMAIN/ns/NS/sa/SA, as AuthorizationPolicy principals name it. */
  principal: string;
}

const SAN_ENTRY = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;

/**
 * The URI entries of node's subjectAltName string ("URI:spiffe://…, DNS:…"). Node quotes values
 * that contain separators as JSON strings (since v17.3, CVE-2021-44532), so unquote those.
 */
export function uriSans(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  const out: string[] = [];
  for (const m of subjectAltName.matchAll(SAN_ENTRY)) {
    if (m[1] !== 'URI') continue;
    const raw = m[2] ?? '';
    try {
      out.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
    } catch {
      // An unparsable entry names nobody.
    }
  }
  return out;
}

/** The workload identity in a certificate's SANs: exactly one SPIFFE URI (X509-SVID §2), else none. */
export function identityFromSan(subjectAltName: string | undefined): PeerIdentity | undefined {
  const spiffe = uriSans(subjectAltName).filter((u) => u.startsWith('spiffe://'));
  if (spiffe.length !== 1) return undefined;
  const parsed = parseSpiffeUri(spiffe[0]!);
  if (!parsed.ok) return undefined;
  return { spiffeId: spiffe[0]!, identity: parsed.identity, principal: principalOf(parsed.identity) };
}

/**
 * The verified peer of a TLS connection: undefined unless the chain checked out against the mesh
 * root (socket.authorized) and the leaf names exactly one workload.
 */
export function peerIdentity(socket: TLSSocket): PeerIdentity | undefined {
  if (!socket.authorized) return undefined;
  return identityFromSan(socket.getPeerX509Certificate()?.subjectAltName);
}

/**
 * For the client side's checkServerIdentity: mesh certificates carry no host names, so the
 * server is checked by identity: in our trust domain and, when the route says who it expects
 * (Istio's subjectAltNames), one of those.
 */
export function checkServerSpiffeId(
  cert: PeerCertificate,
  trustDomain: string,
  expected?: readonly string[],
): Error | undefined {
  const peer = identityFromSan(cert.subjectaltname);
  if (!peer) return new PeerIdentityError('the server certificate carries no SPIFFE id');
  if (peer.identity.trustDomain !== trustDomain)
    return new PeerIdentityError(`the server ${peer.spiffeId} is not in trust domain ${trustDomain}`);
  if (
    expected &&
    expected.length > 0 &&
    !expected.includes(peer.spiffeId) &&
    !expected.includes(peer.principal)
  )
    return new PeerIdentityError(`the server is ${peer.spiffeId}, expected ${expected.join(' or ')}`);
  return undefined;
}

export class PeerIdentityError extends Error {
  readonly code = 'ERR_TRELLIS_PEER_IDENTITY';
  constructor(message: string) {
    super(message);
    this.name = 'PeerIdentityError';
  }
}
