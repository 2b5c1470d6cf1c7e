import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { sameIdentity, type WorkloadIdentity } from '@trellis/shared/spiffe';
import type { SignedChain } from './ca-client';
import type { WorkloadKey } from './keys';
import { identityFromSan, type PeerIdentity } from './peer';

/** Sidecar-to-sidecar traffic is TLS 1.3 only; both ends are ours, so nothing older is needed. */
export const MESH_MIN_TLS_VERSION: tls.SecureVersion = 'TLSv1.3';

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

/**
 * One issued identity: key, chain and root, checked on arrival and turned into a TLS context
 * once. Immutable; rotation replaces the whole bundle. The private key stays inside (no JSON,
 * no inspect output).
 */
export class CertificateBundle {
  readonly #key: WorkloadKey;
  readonly certChainPem: readonly string[];
  readonly rootPem: string;
  readonly leaf: X509Certificate;
  readonly self: PeerIdentity;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** When this process received it (ms since epoch); renewal timing counts from here. */
  readonly receivedAt: number;
  readonly secureContext: tls.SecureContext;

  private constructor(
    key: WorkloadKey,
    signed: SignedChain,
    leaf: X509Certificate,
    self: PeerIdentity,
    now: number,
  ) {
    this.#key = key;
    this.certChainPem = [...signed.certChainPem];
    this.rootPem = signed.rootPem;
    this.leaf = leaf;
    this.self = self;
    this.notBefore = new Date(leaf.validFrom);
    this.notAfter = new Date(leaf.validTo);
    this.receivedAt = now;
    this.secureContext = tls.createSecureContext(this.contextOptions());
  }

  /**
   * Accepts a signed chain only if it is for our key and our identity, links up to the root it
   * came with, and is valid now: a bad answer must not replace a good certificate.
   */
  static async create(
    key: WorkloadKey,
    signed: SignedChain,
    identity: WorkloadIdentity,
    now: number,
  ): Promise<CertificateBundle> {
    if (signed.certChainPem.length === 0) throw new BundleError('the CA returned an empty chain');
    let chain: X509Certificate[];
    let root: X509Certificate;
    try {
      chain = signed.certChainPem.map((p) => new X509Certificate(p));
      root = new X509Certificate(signed.rootPem);
    } catch {
      throw new BundleError('the CA returned something that is not a PEM certificate');
    }
    const leaf = chain[0]!;
    const spki = leaf.publicKey.export({ type: 'spki', format: 'der' });
    if (!spki.equals(await key.publicKeySpki()))
      throw new BundleError('the CA returned a certificate for another key');
    const self = identityFromSan(leaf.subjectAltName);
    if (!self || !sameIdentity(self.identity, identity))
      throw new BundleError(`the CA returned a certificate for ${self?.spiffeId ?? 'no SPIFFE id'}`);
    const links = [...chain, root];
    for (let i = 0; i + 1 < links.length; i++) {
      const child = links[i]!;
      const parent = links[i + 1]!;
      if (!child.checkIssued(parent) || !child.verify(parent.publicKey))
        throw new BundleError('the certificate chain does not lead to the root the CA sent');
    }
    if (!root.verify(root.publicKey)) throw new BundleError('the root the CA sent is not self-signed');
    const t = new Date(now);
    if (t < new Date(leaf.validFrom) || t >= new Date(leaf.validTo))
      throw new BundleError(`the certificate is not valid now (${leaf.validFrom} – ${leaf.validTo})`);
    return new CertificateBundle(key, signed, leaf, self, now);
  }

  /** Options for tls.createSecureContext / tls.Server#setSecureContext. */
  contextOptions(): tls.SecureContextOptions {
    return {
      key: this.#key.privateKeyPem,
      cert: this.certChainPem.join('\n'),
      ca: this.rootPem,
      minVersion: MESH_MIN_TLS_VERSION,
    };
  }

  get serial(): string {
    return this.leaf.serialNumber;
  }

  /** Seconds of validity left at `now`. */
  remainingMs(now: number): number {
    return this.notAfter.getTime() - now;
  }

  toJSON(): Record<string, unknown> {
    return {
      spiffeId: this.self.spiffeId,
      serial: this.serial,
      notBefore: this.notBefore.toISOString(),
      notAfter: this.notAfter.toISOString(),
    };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CertificateBundle ${JSON.stringify(this.toJSON())}`;
  }
}
