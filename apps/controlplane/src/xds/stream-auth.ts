/**
 * Whether a ConfigDiscovery stream may have the identity its Node claims, decided before any
 * config is sent. Over TLS the client certificate decides (./stream-peer). A plaintext stream
 * proves nothing by itself: when the control plane has a CA, it must carry the CA's bootstrap
 * credential ("authorization: Bearer <join token>" in embedded mode), as istiod refuses
 * unauthenticated XDS. Without a CA (a push service on its own, in tests) plaintext is taken as
 * claimed. The join token is one secret for the whole mesh, so a stream holding it may claim any
 * identity, exactly as Certificates.Sign lets it (docs/security.md).
 *
 * This module never sees the token: the check reads the call's metadata itself.
 */
import * as grpc from '@grpc/grpc-js';
import { claimProblem, type StreamPeer } from './stream-peer';

export interface ClaimedIdentity {
  namespace: string;
  serviceAccount: string;
}

/** A credential check's answer; `code` is the checker's stable code (e.g. CA_UNAUTHENTICATED). */
export type StreamCredentialResult =
  | { ok: true }
  | { ok: false; status: grpc.status; code: string; message: string };

/** Checks the credential a plaintext stream carries in its metadata (the CA brings one). */
export type StreamCredentialCheck = (
  metadata: grpc.Metadata,
  claimed: ClaimedIdentity,
) => Promise<StreamCredentialResult>;

/** Stable codes of a refused stream (the status message starts with one; also a trailer). */
export type StreamRefusalCode = 'XDS_UNAUTHENTICATED' | 'XDS_PERMISSION_DENIED' | 'XDS_CREDENTIAL_UNUSABLE';

/** What let a stream in: its client certificate, the bootstrap credential, or nothing (no CA). */
export type AdmittedBy = 'certificate' | 'bootstrap-credential' | 'none';

export type Admission =
  | { ok: true; by: AdmittedBy }
  | { ok: false; status: grpc.status; code: StreamRefusalCode; message: string };

/** The trailer carrying the stable code, as Certificates.Sign does. */
export const ERROR_CODE_TRAILER = 'trellis-error-code';

export async function admitStream(
  peer: StreamPeer,
  metadata: grpc.Metadata,
  claimed: ClaimedIdentity,
  checkPlaintext: StreamCredentialCheck | undefined,
): Promise<Admission> {
  if (peer.kind === 'tls') {
    const problem = claimProblem(peer, claimed);
    return problem
      ? { ok: false, status: grpc.status.PERMISSION_DENIED, code: 'XDS_PERMISSION_DENIED', message: problem }
      : { ok: true, by: 'certificate' };
  }
  if (!checkPlaintext) return { ok: true, by: 'none' };
  let result: StreamCredentialResult;
  try {
    result = await checkPlaintext(metadata, claimed);
  } catch {
    // Refuse rather than let a failing check open the door; the proxy retries.
    result = {
      ok: false,
      status: grpc.status.UNAVAILABLE,
      code: 'CHECK_FAILED',
      message: 'the credential check failed; retry later',
    };
  }
  if (result.ok) return { ok: true, by: 'bootstrap-credential' };
  if (result.status === grpc.status.UNAUTHENTICATED)
    return {
      ok: false,
      status: grpc.status.UNAUTHENTICATED,
      code: 'XDS_UNAUTHENTICATED',
      message:
        'a plaintext ConfigDiscovery stream must carry the bootstrap credential (the join token in ' +
        `embedded mode): ${result.message}`,
    };
  return {
    ok: false,
    status: result.status,
    code:
      result.status === grpc.status.PERMISSION_DENIED ? 'XDS_PERMISSION_DENIED' : 'XDS_CREDENTIAL_UNUSABLE',
    message: `${result.code}: ${result.message}`,
  };
}

/** The status a refused stream ends with: "CODE: message", and the code in a trailer. */
export function refusalStatus(refusal: Extract<Admission, { ok: false }>): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_CODE_TRAILER, refusal.code);
  return { code: refusal.status, details: `${refusal.code}: ${refusal.message}`, metadata };
}
