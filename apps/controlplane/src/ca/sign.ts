import { createPublicKey, type webcrypto } from 'node:crypto';
import { spiffeUri, type WorkloadIdentity } from '@trellis/shared/spiffe';
import { type CaError, caError } from './errors';
import { type CaRoot, CLOCK_SKEW_SECONDS, randomSerial } from './root';
import { x509 } from './x509';

const SAN_OID = '2.5.29.17';

export interface LifetimePolicy {
  /** Used when the request asks for 0 seconds. */
  defaultSeconds: number;
  /** Requests above this are refused, not shortened: the caller asked for something we will not give. */
  maxSeconds: number;
}

export const DEFAULT_LIFETIME: LifetimePolicy = { defaultSeconds: 24 * 3600, maxSeconds: 7 * 24 * 3600 };

export interface IssuedCertificate {
  certPem: string;
  /** Leaf first; the root is not part of the chain. */
  chainPem: string[];
  rootPem: string;
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** True when notAfter was cut to the CA's own notAfter. */
  clampedToCa: boolean;
}

export type SignResult = { ok: true; issued: IssuedCertificate } | { ok: false; error: CaError };

/**
 * Issues a workload certificate for a public key: the identity's SPIFFE id as the only SAN,
 * serverAuth + clientAuth, no CA powers. Validity is taken as given (tests use it to make
 * expired and not-yet-valid certificates); signCsr is where policy lives.
 */
export async function issueCertificate(opts: {
  ca: CaRoot;
  publicKey: x509.PublicKey | webcrypto.CryptoKey;
  identity: WorkloadIdentity;
  notBefore: Date;
  notAfter: Date;
}): Promise<x509.X509Certificate> {
  const { ca } = opts;
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    // Empty subject, as Istio's workload certificates: the identity is the SAN, which RFC 5280
    // §4.2.1.6 then requires to be critical.
    subject: '',
    issuer: ca.cert.subjectName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: opts.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: ca.signingAlgorithm,
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
      new x509.SubjectAlternativeNameExtension([{ type: 'url', value: spiffeUri(opts.identity) }], true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(opts.publicKey),
    ],
  });
}

/**
 * Checks a CSR against the verified identity and the lifetime policy, then issues. The CSR
 * contributes only its public key: its subject is ignored and its SANs must be empty or exactly
 * the caller's own SPIFFE id.
 */
export async function signCsr(opts: {
  ca: CaRoot;
  csrPem: string;
  identity: WorkloadIdentity;
  requestedSeconds: number;
  now: Date;
  policy?: LifetimePolicy;
}): Promise<SignResult> {
  const policy = opts.policy ?? DEFAULT_LIFETIME;
  const fail = (code: CaError['code'], detail: string): SignResult => ({
    ok: false,
    error: caError(code, detail),
  });

  const lifetime = opts.requestedSeconds === 0 ? policy.defaultSeconds : opts.requestedSeconds;
  if (!Number.isSafeInteger(lifetime) || lifetime < 1)
    return fail(
      'CA_LIFETIME_INVALID',
      `validity_seconds ${opts.requestedSeconds} is not a positive whole number`,
    );
  if (lifetime > policy.maxSeconds)
    return fail(
      'CA_LIFETIME_TOO_LONG',
      `validity_seconds ${lifetime} is above the maximum of ${policy.maxSeconds}`,
    );

  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(opts.csrPem);
  } catch {
    return fail('CA_CSR_MALFORMED', 'csr_pem is not a PKCS#10 request');
  }
  const keyProblem = unsupportedKey(csr.publicKey);
  if (keyProblem) return fail('CA_CSR_KEY_UNSUPPORTED', keyProblem);
  let signatureOk = false;
  try {
    signatureOk = await csr.verify();
  } catch {
    signatureOk = false;
  }
  if (!signatureOk)
    return fail('CA_CSR_SIGNATURE_INVALID', 'the CSR signature does not verify with its own public key');

  const expected = spiffeUri(opts.identity);
  // Every SAN extension counts: a second one must not smuggle a name past the first.
  const names = csr
    .getExtensions(SAN_OID)
    .flatMap((ext) => new x509.SubjectAlternativeNameExtension(ext.rawData).names.items);
  for (const name of names) {
    if (name.type !== 'url' || name.value !== expected)
      return fail(
        'CA_IDENTITY_MISMATCH',
        `the CSR asks for ${name.type}:${name.value}, the credential is for ${expected}`,
      );
  }

  const { ca, now } = opts;
  if (now < ca.cert.notBefore || now >= ca.cert.notAfter)
    return fail(
      'CA_ROOT_NOT_VALID',
      `the CA certificate is valid from ${ca.cert.notBefore.toISOString()} to ${ca.cert.notAfter.toISOString()}`,
    );
  // Certificates carry whole seconds; rounding up keeps a short lifetime from losing up to a
  // second (a third of a 3 s test certificate) to truncation.
  const wantedNotAfter = new Date(Math.ceil((now.getTime() + lifetime * 1000) / 1000) * 1000);
  // No certificate outlives the CA that vouches for it.
  const clampedToCa = wantedNotAfter > ca.cert.notAfter;
  const notAfter = clampedToCa ? ca.cert.notAfter : wantedNotAfter;
  const backdated = new Date(now.getTime() - CLOCK_SKEW_SECONDS * 1000);
  const notBefore = backdated < ca.cert.notBefore ? ca.cert.notBefore : backdated;

  const cert = await issueCertificate({
    ca,
    publicKey: csr.publicKey,
    identity: opts.identity,
    notBefore,
    notAfter,
  });
  const certPem = cert.toString('pem');
  return {
    ok: true,
    issued: {
      certPem,
      chainPem: [certPem],
      rootPem: ca.certPem,
      serial: cert.serialNumber,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      clampedToCa,
    },
  };
}

function unsupportedKey(publicKey: x509.PublicKey): string | undefined {
  const key = createPublicKey({ key: Buffer.from(publicKey.rawData), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve === 'prime256v1' || details.namedCurve === 'secp384r1') return undefined;
    return `EC curve ${details.namedCurve ?? 'unknown'} is not accepted`;
  }
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) >= 2048) return undefined;
    return `an RSA key of ${details.modulusLength ?? 0} bits is too weak`;
  }
  return `${key.asymmetricKeyType ?? 'unknown'} keys are not accepted`;
}
