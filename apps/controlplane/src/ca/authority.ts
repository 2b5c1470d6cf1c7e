import { inspect } from 'node:util';
import { DEFAULT_TRUST_DOMAIN, spiffeUri, type WorkloadIdentity } from '@trellis/shared/spiffe';
import { type Authenticator, JoinTokenAuthenticator, type SignCaller } from './authenticator';
import { type CaError, caError } from './errors';
import { joinTokenPath, loadOrCreateJoinToken } from './join-token';
import { type CaLogger, stderrLogger } from './log';
import { type CaRoot, loadOrCreateRoot, type RootFiles, type RootOrigin } from './root';
import { DEFAULT_LIFETIME, type LifetimePolicy, type SignResult, signCsr } from './sign';

export interface CertificateAuthorityOptions {
  dataDir: string;
  trustDomain?: string;
  /** An operator-supplied root (self-signed CA certificate and its key), instead of DIR/ca. */
  rootFiles?: RootFiles;
  /** Lifetime of a root the CA creates itself. */
  rootValiditySeconds?: number;
  lifetime?: Partial<LifetimePolicy>;
  /**
   * How callers prove who they are. Default: the join token in DIR/join-token. Kubernetes mode
   * passes a ServiceAccountTokenAuthenticator.
   */
  authenticators?: Authenticator[];
  log?: CaLogger;
  now?: () => Date;
}

export interface SignRequestInput extends SignCaller {
  csrPem: string;
  validitySeconds: number;
}

/**
 * The mesh CA: holds the root, checks the caller's credential, signs CSRs. It is the one object
 * with the root key in memory, so it refuses to be serialised or inspected with it.
 */
export class CertificateAuthority {
  readonly #root: CaRoot;
  readonly #authenticators: Authenticator[];
  readonly #log: CaLogger;
  readonly #now: () => Date;
  readonly trustDomain: string;
  readonly policy: LifetimePolicy;
  readonly rootOrigin: RootOrigin;
  readonly rootFiles: RootFiles;
  /** Where the join token lives, when the join token authenticator is in use. */
  readonly joinTokenFile: string | undefined;

  private constructor(init: {
    root: CaRoot;
    authenticators: Authenticator[];
    log: CaLogger;
    now: () => Date;
    trustDomain: string;
    policy: LifetimePolicy;
    rootOrigin: RootOrigin;
    rootFiles: RootFiles;
    joinTokenFile: string | undefined;
  }) {
    this.#root = init.root;
    this.#authenticators = init.authenticators;
    this.#log = init.log;
    this.#now = init.now;
    this.trustDomain = init.trustDomain;
    this.policy = init.policy;
    this.rootOrigin = init.rootOrigin;
    this.rootFiles = init.rootFiles;
    this.joinTokenFile = init.joinTokenFile;
  }

  static async open(opts: CertificateAuthorityOptions): Promise<CertificateAuthority> {
    const log = opts.log ?? stderrLogger;
    const now = opts.now ?? (() => new Date());
    const trustDomain = opts.trustDomain ?? DEFAULT_TRUST_DOMAIN;
    const maxSeconds = opts.lifetime?.maxSeconds ?? DEFAULT_LIFETIME.maxSeconds;
    // Lowering only the maximum lowers the default with it.
    const policy = {
      maxSeconds,
      defaultSeconds: opts.lifetime?.defaultSeconds ?? Math.min(DEFAULT_LIFETIME.defaultSeconds, maxSeconds),
    };
    if (policy.defaultSeconds > policy.maxSeconds)
      throw new RangeError(
        `the default certificate lifetime (${policy.defaultSeconds}s) is above the maximum`,
      );
    const { root, origin, files } = await loadOrCreateRoot({
      dataDir: opts.dataDir,
      operatorFiles: opts.rootFiles,
      trustDomain,
      validitySeconds: opts.rootValiditySeconds,
      now: now(),
      log,
    });
    let joinTokenFile: string | undefined;
    let authenticators = opts.authenticators;
    if (!authenticators) {
      const token = loadOrCreateJoinToken(opts.dataDir, log);
      joinTokenFile = joinTokenPath(opts.dataDir);
      authenticators = [new JoinTokenAuthenticator(token, trustDomain)];
    }
    const ca = new CertificateAuthority({
      root,
      authenticators,
      log,
      now,
      trustDomain,
      policy,
      rootOrigin: origin,
      rootFiles: files,
      joinTokenFile,
    });
    const t = now();
    if (t >= root.cert.notAfter || t < root.cert.notBefore)
      log('error', 'the CA certificate is not valid now; signing requests will be refused', {
        notBefore: root.cert.notBefore.toISOString(),
        notAfter: root.cert.notAfter.toISOString(),
      });
    log('info', 'CA ready', { trustDomain, rootOrigin: origin, notAfter: root.cert.notAfter.toISOString() });
    return ca;
  }

  /** The root certificate peers trust (public). */
  get rootCertPem(): string {
    return this.#root.certPem;
  }

  get rootNotAfter(): Date {
    return this.#root.cert.notAfter;
  }

  /** The signing material, for issuing outside the request path (tests, the control plane's own cert). */
  get root(): CaRoot {
    return this.#root;
  }

  async sign(req: SignRequestInput): Promise<SignResult> {
    const auth = await this.authenticate(req);
    if (!auth.ok) {
      this.#log('warn', 'refused a certificate request', {
        code: auth.error.code,
        namespace: req.claimed.namespace,
        serviceAccount: req.claimed.serviceAccount,
      });
      return auth;
    }
    let result: SignResult;
    try {
      result = await signCsr({
        ca: this.#root,
        csrPem: req.csrPem,
        identity: auth.identity,
        requestedSeconds: req.validitySeconds,
        now: this.#now(),
        policy: this.policy,
      });
    } catch (err) {
      // Library errors are logged by name only: their messages may quote inputs.
      this.#log('error', 'signing failed', { error: (err as Error).name });
      return { ok: false, error: caError('CA_INTERNAL', 'signing failed') };
    }
    if (result.ok)
      this.#log('info', 'issued a workload certificate', {
        identity: spiffeUri(auth.identity),
        serial: result.issued.serial,
        notAfter: result.issued.notAfter.toISOString(),
        clampedToCa: result.issued.clampedToCa,
      });
    else
      this.#log('warn', 'refused a certificate request', {
        code: result.error.code,
        identity: spiffeUri(auth.identity),
      });
    return result;
  }

  /**
   * The identity a bootstrap credential proves (the authenticators in order). Sign uses it, and so
   * do plaintext ConfigDiscovery streams (./stream-credentials). Logs nothing: callers log the
   * outcome, never the credential.
   */
  async authenticate(
    caller: SignCaller,
  ): Promise<{ ok: true; identity: WorkloadIdentity } | { ok: false; error: CaError }> {
    const errors: CaError[] = [];
    for (const a of this.#authenticators) {
      const r = await a.authenticate(caller);
      if (r.ok) return r;
      // A credential that was understood but names a bad or foreign identity is the answer;
      // only "not my kind of credential" falls through to the next authenticator.
      if (r.error.code !== 'CA_UNAUTHENTICATED') return r;
      errors.push(r.error);
    }
    return {
      ok: false,
      error: errors[0] ?? caError('CA_UNAUTHENTICATED', 'no authenticator is configured'),
    };
  }

  toJSON(): Record<string, unknown> {
    return {
      trustDomain: this.trustDomain,
      rootOrigin: this.rootOrigin,
      rootCertFile: this.rootFiles.certFile,
      rootNotAfter: this.rootNotAfter.toISOString(),
      policy: this.policy,
      authenticators: this.#authenticators.map((a) => a.kind),
    };
  }

  [inspect.custom](): string {
    return `CertificateAuthority ${JSON.stringify(this.toJSON())}`;
  }
}
