/**
 * Who is really on the other end of a ConfigDiscovery stream. Over TLS the client certificate
 * (verified to the mesh root by the TLS layer) names a workload identity, and a proxy may only
 * ask for the config of that identity: a stolen join token or a compromised sidecar must not
 * read another workload's routes and policies. Plaintext streams carry no proof (see
 * docs/security.md for what that still allows).
 */
import type * as grpc from '@grpc/grpc-js';
import { parseSpiffeUri } from '@trellis/shared/spiffe';

export type StreamPeer =
  | { kind: 'plaintext' }
  | { kind: 'tls'; spiffeId: string | undefined; namespace?: string; serviceAccount?: string };

export function streamPeer(
  call: Pick<grpc.ServerDuplexStream<unknown, unknown>, 'getAuthContext'>,
): StreamPeer {
  const auth = call.getAuthContext();
  if (auth.transportSecurityType !== 'ssl') return { kind: 'plaintext' };
  const uri = (auth.sslPeerCertificate?.subjectaltname ?? '')
    .split(', ')
    .find((n) => n.startsWith('URI:spiffe://'))
    ?.slice('URI:'.length);
  if (!uri) return { kind: 'tls', spiffeId: undefined };
  const parsed = parseSpiffeUri(uri);
  return parsed.ok
    ? {
        kind: 'tls',
        spiffeId: uri,
        namespace: parsed.identity.namespace,
        serviceAccount: parsed.identity.serviceAccount,
      }
    : { kind: 'tls', spiffeId: uri };
}

/** Why a stream may not have the identity it claims, or undefined when it may. */
export function claimProblem(
  peer: StreamPeer,
  claimed: { namespace: string; serviceAccount: string },
): string | undefined {
  if (peer.kind === 'plaintext') return undefined;
  if (!peer.spiffeId || peer.namespace === undefined)
    return 'the client certificate names no workload identity (spiffe://TRUST_DOMAIN/ns/NS/sa/SA)';
  if (peer.namespace !== claimed.namespace || peer.serviceAccount !== claimed.serviceAccount)
    return `the client certificate is for ${peer.spiffeId}, but the stream claims namespace "${claimed.namespace}" and service account "${claimed.serviceAccount}"`;
  return undefined;
}
