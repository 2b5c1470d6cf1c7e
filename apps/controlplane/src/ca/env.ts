/**
 * CA settings from the environment, so `trellis controlplane` and the Helm chart can set them
 * without new flags (docs/security.md lists them). A bad value stops start-up with a message
 * naming the variable.
 */
import { parseDuration } from '@trellis/shared';
import type { CertificateAuthorityOptions } from './authority';

export class CaEnvError extends Error {
  override readonly name = 'CaEnvError';
}

type Env = Readonly<Record<string, string | undefined>>;

function seconds(env: Env, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const d = parseDuration(v);
  if (!d.ok || d.ms < 1000 || d.ms % 1000 !== 0)
    throw new CaEnvError(
      `${name}: expected a whole number of seconds as a duration such as "30s" or "24h", got "${v}"`,
    );
  return d.ms / 1000;
}

export function caOptionsFromEnv(env: Env = process.env): Omit<CertificateAuthorityOptions, 'dataDir'> {
  const out: Omit<CertificateAuthorityOptions, 'dataDir'> = {};
  const trustDomain = env.TRELLIS_TRUST_DOMAIN;
  if (trustDomain) out.trustDomain = trustDomain;
  const defaultSeconds = seconds(env, 'TRELLIS_CA_CERT_TTL');
  const maxSeconds = seconds(env, 'TRELLIS_CA_MAX_CERT_TTL');
  if (defaultSeconds !== undefined || maxSeconds !== undefined)
    out.lifetime = {
      ...(defaultSeconds !== undefined ? { defaultSeconds } : {}),
      ...(maxSeconds !== undefined ? { maxSeconds } : {}),
    };
  const rootValiditySeconds = seconds(env, 'TRELLIS_CA_ROOT_TTL');
  if (rootValiditySeconds !== undefined) out.rootValiditySeconds = rootValiditySeconds;
  const certFile = env.TRELLIS_CA_ROOT_CERT_FILE;
  const keyFile = env.TRELLIS_CA_ROOT_KEY_FILE;
  if (Boolean(certFile) !== Boolean(keyFile))
    throw new CaEnvError(
      'TRELLIS_CA_ROOT_CERT_FILE and TRELLIS_CA_ROOT_KEY_FILE go together: set both or neither',
    );
  if (certFile && keyFile) out.rootFiles = { certFile, keyFile };
  return out;
}
