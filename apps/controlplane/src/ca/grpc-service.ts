import * as grpc from '@grpc/grpc-js';
import type { CertificateAuthority } from './authority';
import type { CaErrorCode } from './errors';
import { certificatesServiceDefinition, type WireSignRequest, type WireSignResponse } from './proto';

/** The gRPC status each CA refusal is answered with. */
export const CA_STATUS: Record<CaErrorCode, grpc.status> = {
  CA_UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  CA_IDENTITY_MISMATCH: grpc.status.PERMISSION_DENIED,
  CA_IDENTITY_INVALID: grpc.status.INVALID_ARGUMENT,
  CA_CSR_MALFORMED: grpc.status.INVALID_ARGUMENT,
  CA_CSR_SIGNATURE_INVALID: grpc.status.INVALID_ARGUMENT,
  CA_CSR_KEY_UNSUPPORTED: grpc.status.INVALID_ARGUMENT,
  CA_LIFETIME_INVALID: grpc.status.INVALID_ARGUMENT,
  CA_LIFETIME_TOO_LONG: grpc.status.INVALID_ARGUMENT,
  CA_ROOT_NOT_VALID: grpc.status.FAILED_PRECONDITION,
  CA_INTERNAL: grpc.status.INTERNAL,
};

/** The trailer carrying the CA's stable error code, for clients that branch on it. */
export const ERROR_CODE_TRAILER = 'trellis-error-code';

export function bearerToken(metadata: grpc.Metadata): string | undefined {
  const value = metadata.get('authorization')[0];
  if (typeof value !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m?.[1];
}

/** Certificates.Sign over the CA. */
export function certificatesService(ca: CertificateAuthority): grpc.UntypedServiceImplementation {
  const sign: grpc.handleUnaryCall<WireSignRequest, WireSignResponse> = (call, callback) => {
    const req = call.request;
    ca.sign({
      bearerToken: bearerToken(call.metadata),
      claimed: { namespace: req.namespace, serviceAccount: req.service_account },
      csrPem: req.csr_pem,
      validitySeconds: Number(req.validity_seconds),
    }).then(
      (result) => {
        if (result.ok) {
          callback(null, { cert_chain_pem: result.issued.chainPem, root_cert_pem: result.issued.rootPem });
          return;
        }
        const metadata = new grpc.Metadata();
        metadata.set(ERROR_CODE_TRAILER, result.error.code);
        callback({
          code: CA_STATUS[result.error.code],
          details: `${result.error.code}: ${result.error.message}`,
          metadata,
        });
      },
      () => callback({ code: grpc.status.INTERNAL, details: 'CA_INTERNAL: signing failed; retry later' }),
    );
  };
  return { Sign: sign };
}

/** Registers Certificates on a gRPC server, wherever the control plane creates it. */
export function addCertificatesService(server: grpc.Server, ca: CertificateAuthority): void {
  server.addService(certificatesServiceDefinition(), certificatesService(ca));
}
