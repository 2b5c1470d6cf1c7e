import * as grpc from '@grpc/grpc-js';
import { controlPlaneIdentity, spiffeUri } from '@trellis/shared/spiffe';
import type { CertificateBundle } from './bundle';
import { identityFromSan, PeerIdentityError } from './peer';

/**
 * Channel credentials for the control plane's gRPC port: plaintext until the proxy holds a mesh
 * certificate (the bootstrap Sign, authenticated by the join token), then TLS with that
 * certificate as the client's, the mesh root as trust anchor and the control plane's SPIFFE id
 * checked in place of a host name.
 */
export function controlPlaneCredentials(
  bundle: CertificateBundle | undefined,
  expectedServer: string = spiffeUri(controlPlaneIdentity(bundle?.self.identity.trustDomain)),
): grpc.ChannelCredentials {
  if (!bundle) return grpc.credentials.createInsecure();
  const { key, cert, ca } = bundle.contextOptions();
  return grpc.credentials.createSsl(
    Buffer.from(String(ca)),
    Buffer.from(String(key)),
    Buffer.from(String(cert)),
    {
      checkServerIdentity: (_host, peer) => {
        const id = identityFromSan(peer.subjectaltname);
        if (id?.spiffeId === expectedServer) return undefined;
        return new PeerIdentityError(
          `the control plane presented ${id?.spiffeId ?? 'no SPIFFE id'}, expected ${expectedServer}`,
        );
      },
    },
  );
}
