import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, type webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaSetupError } from './errors';
import { isGroupOrWorldAccessible, writeFileAtomic } from './files';
import type { CaLogger } from './log';
import { subtle, x509 } from './x509';

/** The CA's signing material in memory. The private key is a non-extractable webcrypto.CryptoKey. */
export interface CaRoot {
  readonly cert: x509.X509Certificate;
  readonly certPem: string;
  readonly privateKey: webcrypto.CryptoKey;
  readonly signingAlgorithm: SigningAlgorithm;
}

export interface SigningAlgorithm {
  name: 'ECDSA' | 'RSASSA-PKCS1-v1_5';
  hash: 'SHA-256' | 'SHA-384';
}

export interface RootFiles {
  certFile: string;
  keyFile: string;
}

export type RootOrigin = 'created' | 'data-dir' | 'operator';

/** Where a root the CA made itself lives: DIR/ca/root-cert.pem (0644), DIR/ca/root-key.pem (0600). */
export function dataDirRootFiles(dataDir: string): RootFiles {
  return { certFile: join(dataDir, 'ca', 'root-cert.pem'), keyFile: join(dataDir, 'ca', 'root-key.pem') };
}

// Istio's self-signed root defaults to ten years; workload certificates are what rotate.
export const DEFAULT_ROOT_VALIDITY_SECONDS = 10 * 365 * 24 * 3600;
// Backdating absorbs clock skew between the CA and the peers that check its certificates.
export const CLOCK_SKEW_SECONDS = 60;

const EC_P256: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

export function randomSerial(): string {
  const bytes = randomBytes(16);
  // RFC 5280 §4.1.2.2: a positive integer; clearing the top bit keeps the DER INTEGER positive,
  // setting the next one keeps it 16 bytes long.
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** Makes a fresh self-signed EC P-256 root in memory; the PKCS#8 PEM is returned only to persist it. */
export async function generateRoot(opts: {
  trustDomain: string;
  notBefore: Date;
  notAfter: Date;
}): Promise<{ root: CaRoot; keyPem: string }> {
  const keys = (await subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const signingAlgorithm: SigningAlgorithm = { name: 'ECDSA', hash: 'SHA-256' };
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=Trellis mesh root CA, O=${opts.trustDomain}`,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    keys,
    signingAlgorithm: { ...EC_P256, ...signingAlgorithm },
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  const privateKey = await importSigningKey(createPrivateKey(keyPem));
  return { root: { cert, certPem: cert.toString('pem'), privateKey, signingAlgorithm }, keyPem };
}

/**
 * Loads the operator's root when files are given, else the one in DIR/ca, creating it on first
 * start. Errors name the file and what is wrong, never its content.
 */
export async function loadOrCreateRoot(opts: {
  dataDir: string;
  operatorFiles?: RootFiles;
  trustDomain: string;
  validitySeconds?: number;
  now?: Date;
  log: CaLogger;
}): Promise<{ root: CaRoot; origin: RootOrigin; files: RootFiles }> {
  if (opts.operatorFiles) {
    const files = opts.operatorFiles;
    if (isGroupOrWorldAccessible(files.keyFile))
      opts.log('warn', 'the operator-supplied CA key file is readable by group or others; chmod 600 it', {
        keyFile: files.keyFile,
      });
    return { root: await loadRoot(files), origin: 'operator', files };
  }
  const files = dataDirRootFiles(opts.dataDir);
  const haveCert = existsSync(files.certFile);
  const haveKey = existsSync(files.keyFile);
  if (haveCert && haveKey) {
    if (isGroupOrWorldAccessible(files.keyFile)) {
      chmodSync(files.keyFile, 0o600);
      opts.log('warn', 'the CA key file was readable by group or others; set it back to 0600', {
        keyFile: files.keyFile,
      });
    }
    return { root: await loadRoot(files), origin: 'data-dir', files };
  }
  if (haveCert !== haveKey)
    throw new CaSetupError(
      'CA_ROOT_INCOMPLETE',
      `found only one of ${files.certFile} and ${files.keyFile}; restore the other, or remove both to make a new root (every proxy then needs a new certificate)`,
    );
  const now = opts.now ?? new Date();
  const { root, keyPem } = await generateRoot({
    trustDomain: opts.trustDomain,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_SECONDS * 1000),
    notAfter: new Date(now.getTime() + (opts.validitySeconds ?? DEFAULT_ROOT_VALIDITY_SECONDS) * 1000),
  });
  mkdirSync(join(opts.dataDir, 'ca'), { recursive: true, mode: 0o700 });
  // Key first: a crash between the two writes leaves a key without a certificate, which the next
  // start reports instead of silently replacing a root that proxies may already trust.
  writeFileAtomic(files.keyFile, keyPem, 0o600);
  writeFileAtomic(files.certFile, root.certPem, 0o644);
  opts.log('info', 'created a new mesh root CA', {
    certFile: files.certFile,
    notAfter: root.cert.notAfter.toISOString(),
  });
  return { root, origin: 'created', files };
}

async function loadRoot(files: RootFiles): Promise<CaRoot> {
  let certPem: string;
  let keyText: string;
  try {
    certPem = readFileSync(files.certFile, 'utf8');
    keyText = readFileSync(files.keyFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CaSetupError(
      'CA_ROOT_UNREADABLE',
      `cannot read the CA files (${code}): ${files.certFile}, ${files.keyFile}`,
    );
  }
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(certPem);
  } catch {
    throw new CaSetupError('CA_ROOT_INVALID', `${files.certFile} is not a PEM X.509 certificate`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(keyText);
  } catch {
    // The parser's own message could quote the input; say only which file failed.
    throw new CaSetupError('CA_ROOT_INVALID', `${files.keyFile} is not a PEM private key (PKCS#8 or SEC1)`);
  }
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  if (!basic?.ca)
    throw new CaSetupError(
      'CA_ROOT_INVALID',
      `${files.certFile} is not a CA certificate (basicConstraints cA is not set)`,
    );
  if (!(await cert.isSelfSigned()))
    throw new CaSetupError(
      'CA_ROOT_INVALID',
      `${files.certFile} is not self-signed; intermediate CAs are not supported yet, supply the root's certificate and key`,
    );
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  if (!spki.equals(Buffer.from(cert.publicKey.rawData)))
    throw new CaSetupError(
      'CA_ROOT_KEY_MISMATCH',
      `${files.keyFile} is not the private key of ${files.certFile}`,
    );
  const privateKey = await importSigningKey(keyObject);
  return {
    cert,
    certPem: cert.toString('pem'),
    privateKey,
    signingAlgorithm: signingAlgorithmFor(keyObject),
  };
}

function signingAlgorithmFor(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  return {
    name: 'ECDSA',
    hash: key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'SHA-384' : 'SHA-256',
  };
}

/** Re-imports a key as a non-extractable WebCrypto key, so nothing in memory can export it again. */
async function importSigningKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const der = key.export({ type: 'pkcs8', format: 'der' });
  if (key.asymmetricKeyType === 'rsa')
    return subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : undefined;
    if (namedCurve) return subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve }, false, ['sign']);
  }
  throw new CaSetupError('CA_ROOT_INVALID', 'the CA key must be EC P-256, EC P-384 or RSA');
}
