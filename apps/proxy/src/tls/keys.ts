import type { webcrypto } from 'node:crypto';
import { spiffeUri, type WorkloadIdentity } from '@trellis/shared/spiffe';
import { subtle, x509 } from './x509';

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { ...EC_P256, hash: 'SHA-256' } as const;

/**
 * A workload key pair, made in this process and never written anywhere. The private key has to
 * be extractable once: node:tls takes keys as PEM, not as CryptoKey. The PEM lives only in this
 * object, which keeps it out of JSON and util.inspect output.
 */
export class WorkloadKey {
  readonly #keyPem: string;
  readonly #keys: webcrypto.CryptoKeyPair;

  private constructor(keys: webcrypto.CryptoKeyPair, keyPem: string) {
    this.#keys = keys;
    this.#keyPem = keyPem;
  }

  static async generate(): Promise<WorkloadKey> {
    const keys = (await subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
    return new WorkloadKey(keys, x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'));
  }

  /** For node:tls only. */
  get privateKeyPem(): string {
    return this.#keyPem;
  }

  async publicKeySpki(): Promise<Buffer> {
    return Buffer.from(await subtle.exportKey('spki', this.#keys.publicKey));
  }

  /** A PKCS#10 request whose only SAN is the workload's own SPIFFE id. */
  async createCsr(identity: WorkloadIdentity): Promise<string> {
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      keys: this.#keys,
      signingAlgorithm: SIGNING,
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeUri(identity) }])],
    });
    return csr.toString('pem');
  }

  toJSON(): string {
    return '[WorkloadKey]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[WorkloadKey]';
  }
}
