/**
 * The CA's error catalogue: one stable code per way a signing request can fail, each with a
 * hint telling the caller what to do. The gRPC service maps codes to status codes; tests and
 * logs match on the code, never on the wording.
 */
export type CaErrorCode =
  | 'CA_UNAUTHENTICATED'
  | 'CA_IDENTITY_INVALID'
  | 'CA_IDENTITY_MISMATCH'
  | 'CA_CSR_MALFORMED'
  | 'CA_CSR_SIGNATURE_INVALID'
  | 'CA_CSR_KEY_UNSUPPORTED'
  | 'CA_LIFETIME_INVALID'
  | 'CA_LIFETIME_TOO_LONG'
  | 'CA_ROOT_NOT_VALID'
  | 'CA_INTERNAL';

export interface CaError {
  code: CaErrorCode;
  message: string;
}

const HINTS: Record<CaErrorCode, string> = {
  CA_UNAUTHENTICATED:
    'send "authorization: Bearer <token>" with the join token from the control plane data directory ' +
    '(DATA_DIR/join-token, passed to the proxy with --join-token-file) or a service account token',
  CA_IDENTITY_INVALID: 'set namespace to a DNS-1123 label and service_account to a DNS-1123 subdomain',
  CA_IDENTITY_MISMATCH:
    'request a certificate for your own identity only: leave the CSR without SANs or put exactly ' +
    'your spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT URI in it',
  CA_CSR_MALFORMED: 'send a PEM-encoded PKCS#10 certificate signing request in csr_pem',
  CA_CSR_SIGNATURE_INVALID: 'sign the CSR with the private key whose public key it carries',
  CA_CSR_KEY_UNSUPPORTED: 'use an EC P-256 or P-384 key, or an RSA key of at least 2048 bits',
  CA_LIFETIME_INVALID: 'set validity_seconds to 0 (the CA default) or a positive whole number of seconds',
  CA_LIFETIME_TOO_LONG: 'ask for a shorter validity_seconds, or 0 for the CA default',
  CA_ROOT_NOT_VALID: 'the CA certificate is expired or not yet valid: rotate the root (see docs/security.md)',
  CA_INTERNAL: 'retry later; the control plane log has the cause',
};

export function caError(code: CaErrorCode, detail: string): CaError {
  return { code, message: `${detail}; ${HINTS[code]}` };
}

export function hintFor(code: CaErrorCode): string {
  return HINTS[code];
}

/** Raised at start-up when the CA cannot be loaded; never carries key material. */
export class CaSetupError extends Error {
  constructor(
    readonly code:
      | 'CA_ROOT_UNREADABLE'
      | 'CA_ROOT_INVALID'
      | 'CA_ROOT_KEY_MISMATCH'
      | 'CA_ROOT_INCOMPLETE'
      | 'CA_JOIN_TOKEN_UNUSABLE',
    message: string,
  ) {
    super(message);
    this.name = 'CaSetupError';
  }
}
