import { EventEmitter } from 'node:events';
import type tls from 'node:tls';
import { DEFAULT_TRUST_DOMAIN, type WorkloadIdentity } from '@trellis/shared/spiffe';
import { CertificateBundle } from './bundle';
import type { CsrSigner } from './ca-client';
import { WorkloadKey } from './keys';
import { checkServerSpiffeId } from './peer';

export const MESH_ALPN = ['h2', 'http/1.1'];

export interface CertificateManagerOptions {
  signer: CsrSigner;
  namespace: string;
  serviceAccount: string;
  trustDomain?: string;
  /** Requested certificate lifetime; 0 takes the CA's default (24 h). Down to seconds for tests. */
  lifetimeSeconds?: number;
  /** Renew when this fraction of the remaining lifetime has passed (Istio: half). */
  renewFraction?: number;
  /** ± this fraction of the lifetime, so a fleet started together does not renew together. */
  jitterFraction?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface CertificateManagerEvents {
  rotated: [bundle: CertificateBundle, previous: CertificateBundle | undefined];
  renewFailed: [error: Error, attempt: number, retryInMs: number];
  stopped: [];
}

// Never spin: even a certificate about to expire waits this long between attempts.
const MIN_DELAY_MS = 100;
// Bounds on one Sign call: up to what is left of the current certificate (less a moment to
// install the new one), 3–10 s. Cutting short a call that is merely slow (a busy machine) only
// starts the same work again, so a slow answer gets all the time there is; a lost one is
// abandoned before the certificate runs out.
const SIGN_TIMEOUT_MAX_MS = 10_000;
const SIGN_TIMEOUT_MIN_MS = 3_000;
const INSTALL_MARGIN_MS = 500;

/**
 * Holds this proxy's mesh identity: asks the CA for a certificate with a key made here,
 * renews at half life (with jitter), retries with jittered backoff while keeping the last good
 * certificate, and emits 'rotated'. Listeners read current() or clientOptions() per connection,
 * so a rotation affects new handshakes only and never drops a connection.
 */
export class CertificateManager extends EventEmitter<CertificateManagerEvents> {
  readonly identity: WorkloadIdentity;
  readonly #opts: Required<Omit<CertificateManagerOptions, 'trustDomain'>>;
  #bundle: CertificateBundle | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #attempt = 0;
  #renewing: Promise<void> | undefined;

  constructor(opts: CertificateManagerOptions) {
    super();
    this.identity = {
      trustDomain: opts.trustDomain ?? DEFAULT_TRUST_DOMAIN,
      namespace: opts.namespace,
      serviceAccount: opts.serviceAccount,
    };
    this.#opts = {
      signer: opts.signer,
      namespace: opts.namespace,
      serviceAccount: opts.serviceAccount,
      lifetimeSeconds: opts.lifetimeSeconds ?? 0,
      renewFraction: opts.renewFraction ?? 0.5,
      jitterFraction: opts.jitterFraction ?? 0.05,
      retryInitialMs: opts.retryInitialMs ?? 1000,
      retryMaxMs: opts.retryMaxMs ?? 30_000,
      now: opts.now ?? Date.now,
      random: opts.random ?? Math.random,
    };
  }

  /** Resolves with the first certificate; keeps retrying (with backoff) until it has one or stop(). */
  start(): Promise<CertificateBundle> {
    const first = new Promise<CertificateBundle>((resolve, reject) => {
      const onRotated = (b: CertificateBundle) => {
        this.off('stopped', onStopped);
        resolve(b);
      };
      const onStopped = () => {
        this.off('rotated', onRotated);
        reject(new Error('the certificate manager was stopped before it got a certificate'));
      };
      this.once('rotated', onRotated);
      this.once('stopped', onStopped);
    });
    void this.renewNow();
    return first;
  }

  /** The certificate in use, if any; may be expired when the CA has been unreachable for long. */
  current(): CertificateBundle | undefined {
    return this.#bundle;
  }

  /** Renews now (coalesced with a renewal already under way). */
  renewNow(): Promise<void> {
    if (this.#renewing) return this.#renewing;
    const renewing = this.#attemptRenewal().then((outcome) => {
      // Cleared before anyone hears of the outcome, so a listener may start the next renewal.
      this.#renewing = undefined;
      this.#apply(outcome);
    });
    this.#renewing = renewing;
    return renewing;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.emit('stopped');
  }

  /** Options for tls.createServer: mTLS required, TLS 1.3, h2 and http/1.1. */
  serverOptions(): tls.TlsOptions {
    return {
      ...this.#require().contextOptions(),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: MESH_ALPN,
    };
  }

  /** Keeps a tls.Server on the latest certificate; returns a function that stops doing so. */
  attachServer(server: tls.Server): () => void {
    const onRotated = (b: CertificateBundle) => server.setSecureContext(b.contextOptions());
    this.on('rotated', onRotated);
    return () => this.off('rotated', onRotated);
  }

  /**
   * Options for one outbound tls.connect, built from the latest certificate. `expected` names the
   * server identities the route allows (SPIFFE ids or principals); any mesh identity otherwise.
   */
  clientOptions(opts: { expected?: readonly string[]; alpn?: string[] } = {}): tls.ConnectionOptions {
    const bundle = this.#require();
    const trustDomain = this.identity.trustDomain;
    return {
      secureContext: bundle.secureContext,
      ALPNProtocols: opts.alpn ?? MESH_ALPN,
      rejectUnauthorized: true,
      checkServerIdentity: (_host, cert) => checkServerSpiffeId(cert, trustDomain, opts.expected),
    };
  }

  #require(): CertificateBundle {
    if (!this.#bundle) throw new Error('no mesh certificate yet; await CertificateManager.start()');
    return this.#bundle;
  }

  async #attemptRenewal(): Promise<{ ok: true; bundle: CertificateBundle } | { ok: false; error: Error }> {
    clearTimeout(this.#timer);
    try {
      const key = await WorkloadKey.generate();
      const signed = await this.#opts.signer.sign({
        csrPem: await key.createCsr(this.identity),
        validitySeconds: this.#opts.lifetimeSeconds,
        namespace: this.identity.namespace,
        serviceAccount: this.identity.serviceAccount,
        timeoutMs: this.#signTimeout(),
      });
      return {
        ok: true,
        bundle: await CertificateBundle.create(key, signed, this.identity, this.#opts.now()),
      };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  #apply(outcome: { ok: true; bundle: CertificateBundle } | { ok: false; error: Error }): void {
    if (this.#stopped) return;
    if (outcome.ok) {
      const previous = this.#bundle;
      this.#bundle = outcome.bundle;
      this.#attempt = 0;
      this.#schedule(this.#renewDelay(outcome.bundle));
      this.emit('rotated', outcome.bundle, previous);
      return;
    }
    this.#attempt++;
    const delay = this.#retryDelay();
    this.#schedule(delay);
    this.emit('renewFailed', outcome.error, this.#attempt, delay);
  }

  #renewDelay(b: CertificateBundle): number {
    const { renewFraction, jitterFraction, random } = this.#opts;
    // Count from receipt, not notBefore: the CA backdates notBefore for clock skew, which for a
    // certificate of a few seconds would put half-life in the past.
    const span = b.notAfter.getTime() - b.receivedAt;
    const fraction = renewFraction + (random() * 2 - 1) * jitterFraction;
    return Math.max(MIN_DELAY_MS, span * fraction);
  }

  #signTimeout(): number {
    const remaining = this.#bundle?.remainingMs(this.#opts.now()) ?? 0;
    if (remaining <= 0) return SIGN_TIMEOUT_MAX_MS;
    return Math.min(SIGN_TIMEOUT_MAX_MS, Math.max(SIGN_TIMEOUT_MIN_MS, remaining - INSTALL_MARGIN_MS));
  }

  #retryDelay(): number {
    const { retryInitialMs, retryMaxMs, random } = this.#opts;
    const base = Math.min(retryMaxMs, retryInitialMs * 2 ** Math.min(this.#attempt - 1, 20));
    let delay = base * (0.5 + random() * 0.5);
    // While a certificate is still good, try again well before it runs out.
    const remaining = this.#bundle?.remainingMs(this.#opts.now()) ?? 0;
    if (remaining > 0) delay = Math.min(delay, remaining / 4);
    return Math.max(MIN_DELAY_MS, delay);
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.renewNow(), ms);
    // The proxy's listeners keep the process alive; a pending renewal alone should not.
    this.#timer.unref();
  }
}
