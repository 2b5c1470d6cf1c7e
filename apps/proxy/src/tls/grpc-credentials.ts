import * as grpc from '@grpc/grpc-js';
import { controlPlaneIdentity, spiffeUri } from '@trellis/shared/spiffe';
import type { CertificateBundle } from './bundle';
import type { CertificateManager } from './certificate-manager';
import { identityFromSan, PeerIdentityError } from './peer';

/**
 * Channel options for every channel to the control plane. Its certificate is checked by SPIFFE id,
 * not by host name, but grpc-js sends the target's host as TLS SNI, and an IP address there is
 * not allowed (RFC 6066; Node warns DEP0123 in every sidecar's log): name the server instead.
 */
export const CONTROL_PLANE_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.ssl_target_name_override': 'trellis-controlplane',
};

/**
 * Channel credentials for the control plane's gRPC port: plaintext while the proxy holds no valid
 * mesh certificate (the bootstrap Sign, authenticated by the join token), then TLS with that
 * certificate as the client's, the mesh root as trust anchor and the control plane's SPIFFE id
 * checked in place of a host name.
 */
export function controlPlaneCredentials(
  bundle: CertificateBundle | undefined,
  expectedServer: string = spiffeUri(controlPlaneIdentity(bundle?.self.identity.trustDomain)),
): grpc.ChannelCredentials {
  // An expired certificate would be refused on the TLS side; renew the way a new proxy starts.
  if (!bundle || bundle.remainingMs(Date.now()) <= 0) return grpc.credentials.createInsecure();
  const { key, cert, ca } = bundle.contextOptions();
  return grpc.credentials.createSsl(
    Buffer.from(String(ca)),
    Buffer.from(String(key)),
    Buffer.from(String(cert)),
    { checkServerIdentity: (_host, peer) => checkControlPlane(peer.subjectaltname, expectedServer) },
  );
}

/**
 * Feeds grpc-js the proxy's current certificate and root (grpc-js's CertificateProvider), so one
 * long-lived channel picks up every rotation for its next connection. Until the first certificate
 * arrives grpc-js holds connection attempts back.
 */
export class ManagerCertificateProvider implements grpc.experimental.CertificateProvider {
  readonly #ca = new Set<grpc.experimental.CaCertificateUpdateListener>();
  readonly #identity = new Set<grpc.experimental.IdentityCertificateUpdateListener>();
  readonly #detach: () => void;
  #bundle: CertificateBundle | undefined;

  constructor(manager: CertificateManager) {
    this.#bundle = manager.current();
    const onRotated = (b: CertificateBundle) => {
      this.#bundle = b;
      for (const l of this.#ca) l(this.#caUpdate(b));
      for (const l of this.#identity) l(this.#identityUpdate(b));
    };
    manager.on('rotated', onRotated);
    this.#detach = () => manager.off('rotated', onRotated);
  }

  addCaCertificateListener(l: grpc.experimental.CaCertificateUpdateListener): void {
    this.#ca.add(l);
    if (this.#bundle) l(this.#caUpdate(this.#bundle));
  }

  removeCaCertificateListener(l: grpc.experimental.CaCertificateUpdateListener): void {
    this.#ca.delete(l);
  }

  addIdentityCertificateListener(l: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.#identity.add(l);
    if (this.#bundle) l(this.#identityUpdate(this.#bundle));
  }

  removeIdentityCertificateListener(l: grpc.experimental.IdentityCertificateUpdateListener): void {
    this.#identity.delete(l);
  }

  close(): void {
    this.#detach();
  }

  #caUpdate(b: CertificateBundle): grpc.experimental.CaCertificateUpdate {
    return { caCertificate: Buffer.from(b.rootPem) };
  }

  #identityUpdate(b: CertificateBundle): grpc.experimental.IdentityCertificateUpdate {
    const { key, cert } = b.contextOptions();
    return { certificate: Buffer.from(String(cert)), privateKey: Buffer.from(String(key)) };
  }

  toJSON(): string {
    return '[ManagerCertificateProvider]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[ManagerCertificateProvider]';
  }
}

/**
 * mTLS to the control plane for ConfigDiscovery, following rotations: the proxy's certificate,
 * the mesh root as the only trust anchor, the control plane's SPIFFE id in place of a host name.
 */
export function controlPlaneMtlsCredentials(
  provider: ManagerCertificateProvider,
  trustDomain: string,
  expectedServer: string = spiffeUri(controlPlaneIdentity(trustDomain)),
): grpc.ChannelCredentials {
  return grpc.experimental.createCertificateProviderChannelCredentials(provider, provider, {
    checkServerIdentity: (_host, peer) => checkControlPlane(peer.subjectaltname, expectedServer),
  });
}

function checkControlPlane(san: string | undefined, expectedServer: string): Error | undefined {
  const id = identityFromSan(san);
  if (id?.spiffeId === expectedServer) return undefined;
  return new PeerIdentityError(
    `the control plane presented ${id?.spiffeId ?? 'no SPIFFE id'}, expected ${expectedServer}`,
  );
}
