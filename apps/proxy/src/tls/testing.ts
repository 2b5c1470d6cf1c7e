/**
 * Test support: a minimal in-memory CA that signs CSRs the way the control plane's does (SPIFFE
 * URI SAN, serverAuth + clientAuth), so the proxy's TLS code is tested without the control plane.
 * The real CA is exercised end to end in apps/controlplane/test/ca-mtls.test.ts.
 */
import type { webcrypto } from 'node:crypto';
import { spiffeUri } from '@trellis/shared/spiffe';
import type { CsrSigner, SignedChain, SignRequestInput } from './ca-client';
import { subtle, x509 } from './x509';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export class TestCa implements CsrSigner {
  calls = 0;
  /** Set to make the next calls fail. */
  failWith: Error | undefined;

  private constructor(
    readonly rootPem: string,
    private readonly root: x509.X509Certificate,
    private readonly keys: webcrypto.CryptoKeyPair,
    readonly trustDomain: string,
  ) {}

  static async create(trustDomain = 'cluster.local'): Promise<TestCa> {
    const keys = (await subtle.generateKey(ALG, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const now = Date.now();
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      name: `CN=test root, O=${trustDomain}`,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 86_400_000),
      keys,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    });
    return new TestCa(root.toString('pem'), root, keys, trustDomain);
  }

  async sign(req: SignRequestInput): Promise<SignedChain> {
    this.calls++;
    if (this.failWith) throw this.failWith;
    const csr = new x509.Pkcs10CertificateRequest(req.csrPem);
    const now = Date.now();
    const seconds = req.validitySeconds || 3600;
    const leaf = await this.issue(csr.publicKey, req, new Date(now - 1000), new Date(now + seconds * 1000));
    return { certChainPem: [leaf], rootPem: this.rootPem };
  }

  /** A certificate with explicit validity, for expired / not-yet-valid cases. */
  async issue(
    publicKey: x509.PublicKey | webcrypto.CryptoKey,
    who: { namespace: string; serviceAccount: string },
    notBefore: Date,
    notAfter: Date,
  ): Promise<string> {
    const cert = await x509.X509CertificateGenerator.create({
      subject: '',
      issuer: this.root.subjectName,
      notBefore,
      notAfter,
      publicKey,
      signingKey: this.keys.privateKey,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([
          x509.ExtendedKeyUsage.serverAuth,
          x509.ExtendedKeyUsage.clientAuth,
        ]),
        new x509.SubjectAlternativeNameExtension(
          [{ type: 'url', value: spiffeUri({ trustDomain: this.trustDomain, ...who }) }],
          true,
        ),
      ],
    });
    return cert.toString('pem');
  }
}
