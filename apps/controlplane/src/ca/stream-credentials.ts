/**
 * The CA's bootstrap credential as the check plaintext ConfigDiscovery streams must pass (the
 * config push asks it through GrpcService.authenticatePlaintextStream, never importing the CA).
 * Same token, same authenticators and same constant-time comparison as Certificates.Sign: a
 * process that may not get a certificate may not read config either. With the join token the
 * stream may claim any identity (the token is mesh-wide, docs/security.md); a ServiceAccount
 * token is held to its own account.
 */
import type * as grpc from '@grpc/grpc-js';
import type { StreamCredentialCheck } from '../xds/stream-auth';
import type { CertificateAuthority } from './authority';
import { bearerToken, CA_STATUS } from './grpc-service';

export function configStreamCredentialCheck(ca: CertificateAuthority): StreamCredentialCheck {
  return async (metadata: grpc.Metadata, claimed) => {
    const auth = await ca.authenticate({ bearerToken: bearerToken(metadata), claimed });
    if (auth.ok) return { ok: true };
    return {
      ok: false,
      status: CA_STATUS[auth.error.code],
      code: auth.error.code,
      message: auth.error.message,
    };
  };
}
