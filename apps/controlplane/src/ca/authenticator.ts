import { createHash, timingSafeEqual } from 'node:crypto';
import { identityProblem, type WorkloadIdentity } from '@trellis/shared/spiffe';
import { type CaError, caError } from './errors';

/** What a signing request brings to prove who it is. */
export interface SignCaller {
  /** The token from "authorization: Bearer <token>", if any. */
  bearerToken: string | undefined;
  /** The identity the caller claims (SignRequest namespace / service_account). */
  claimed: { namespace: string; serviceAccount: string };
}

export type AuthResult = { ok: true; identity: WorkloadIdentity } | { ok: false; error: CaError };

/**
 * Turns a bootstrap credential into the identity the certificate will carry. The identity comes
 * from here and nowhere else; the CSR cannot widen it.
 */
export interface Authenticator {
  /** For logs: which kind of credential this checks. */
  readonly kind: string;
  authenticate(caller: SignCaller): Promise<AuthResult>;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/**
 * Embedded mode: one join token for the mesh. Anyone holding it may claim any identity in the
 * trust domain, so the token is a mesh-wide secret (0600 on disk, like a kubeconfig); the
 * per-identity guarantee comes in Kubernetes mode, where the credential names the account.
 */
export class JoinTokenAuthenticator implements Authenticator {
  readonly kind = 'join-token';
  readonly #digest: Buffer;
  readonly #trustDomain: string;

  constructor(token: string, trustDomain: string) {
    // Comparing fixed-length digests keeps the comparison constant-time whatever the input length.
    this.#digest = sha256(token);
    this.#trustDomain = trustDomain;
  }

  async authenticate(caller: SignCaller): Promise<AuthResult> {
    if (!caller.bearerToken) return { ok: false, error: caError('CA_UNAUTHENTICATED', 'no bearer token') };
    if (!timingSafeEqual(sha256(caller.bearerToken), this.#digest))
      return {
        ok: false,
        error: caError('CA_UNAUTHENTICATED', 'the join token is not this control plane’s'),
      };
    const identity = { trustDomain: this.#trustDomain, ...caller.claimed };
    const problem = identityProblem(identity);
    if (problem) return { ok: false, error: caError('CA_IDENTITY_INVALID', problem) };
    return { ok: true, identity };
  }

  // A token never belongs in a log line or a dump of this object.
  toJSON(): Record<string, string> {
    return { kind: this.kind };
  }
}

/** The answer of a Kubernetes TokenReview (authentication.k8s.io/v1) for a bearer token. */
export type TokenReviewResult =
  | { authenticated: true; username: string; audiences?: string[] }
  | { authenticated: false; error: string };

/** Kubernetes mode plugs a TokenReview client in here (not built yet; see docs/security.md). */
export interface TokenReviewer {
  review(token: string, audiences: string[]): Promise<TokenReviewResult>;
}

const SA_USERNAME = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * Kubernetes mode: the caller's ServiceAccount token, checked by the API server. The identity
 * is the account the token names; a request claiming another one is refused, as Istio does.
 */
export class ServiceAccountTokenAuthenticator implements Authenticator {
  readonly kind = 'service-account-token';

  constructor(
    private readonly reviewer: TokenReviewer,
    private readonly trustDomain: string,
    private readonly audiences: string[] = ['trellis-ca'],
  ) {}

  async authenticate(caller: SignCaller): Promise<AuthResult> {
    if (!caller.bearerToken) return { ok: false, error: caError('CA_UNAUTHENTICATED', 'no bearer token') };
    let review: TokenReviewResult;
    try {
      review = await this.reviewer.review(caller.bearerToken, this.audiences);
    } catch (err) {
      return { ok: false, error: caError('CA_INTERNAL', `TokenReview failed: ${(err as Error).message}`) };
    }
    if (!review.authenticated)
      return {
        ok: false,
        error: caError('CA_UNAUTHENTICATED', `the token was not accepted: ${review.error}`),
      };
    const m = SA_USERNAME.exec(review.username);
    if (!m)
      return {
        ok: false,
        error: caError('CA_UNAUTHENTICATED', 'the token does not belong to a service account'),
      };
    const identity = { trustDomain: this.trustDomain, namespace: m[1]!, serviceAccount: m[2]! };
    const { namespace, serviceAccount } = caller.claimed;
    if (
      (namespace && namespace !== identity.namespace) ||
      (serviceAccount && serviceAccount !== identity.serviceAccount)
    )
      return {
        ok: false,
        error: caError(
          'CA_IDENTITY_MISMATCH',
          `the token is for ${identity.namespace}/${identity.serviceAccount}, the request claims ${namespace}/${serviceAccount}`,
        ),
      };
    const problem = identityProblem(identity);
    if (problem) return { ok: false, error: caError('CA_IDENTITY_INVALID', problem) };
    return { ok: true, identity };
  }
}
