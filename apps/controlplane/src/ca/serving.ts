import type { webcrypto } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { controlPlaneIdentity, spiffeUri } from '@trellis/shared/spiffe';
import type { CertificateAuthority } from './authority';
import { CLOCK_SKEW_SECONDS } from './root';
import { issueCertificate } from './sign';
import { subtle, x509 } from './x509';

export interface ServingIdentity {
  /** For grpc.Server: TLS with the control plane's certificate; client certificates optional. */
  credentials: grpc.ServerCredentials;
  spiffeId: string;
  notAfter: Date;
}

// Long enough to never matter within one run; the certificate is made fresh at every start.
const SERVING_LIFETIME_SECONDS = 365 * 24 * 3600;

/**
 * The control plane's own certificate for its gRPC port, issued by the mesh CA to
 * spiffe://TD/ns/trellis-system/sa/trellis-controlplane. Its key is made here and kept in memory.
 * Client certificates are not required: a proxy without one still has to reach Certificates.Sign.
 */
export async function issueServingIdentity(
  ca: CertificateAuthority,
  now = new Date(),
): Promise<ServingIdentity> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const keys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const keyPem = x509.PemConverter.encode(await subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  const identity = controlPlaneIdentity(ca.trustDomain);
  const wanted = new Date(now.getTime() + SERVING_LIFETIME_SECONDS * 1000);
  const cert = await issueCertificate({
    ca: ca.root,
    publicKey: keys.publicKey,
    identity,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_SECONDS * 1000),
    notAfter: wanted > ca.rootNotAfter ? ca.rootNotAfter : wanted,
  });
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(ca.rootCertPem),
    [{ private_key: Buffer.from(keyPem), cert_chain: Buffer.from(cert.toString('pem')) }],
    // TLS on this port is for proxies that hold a mesh certificate (the bootstrap is plaintext):
    // requiring it lets ConfigDiscovery bind a stream to the identity the certificate names.
    true,
  );
  return { credentials, spiffeId: spiffeUri(identity), notAfter: cert.notAfter };
}
