/** Pure: a sidecar's /certs answer as the console's certificate facts, judged at `now`. */
import type { CertificateFacts, ProxyCertsStatus } from '@trellis/shared/proxy-admin-api';
import type { AdminRead, ProxyRef } from './endpoints';
import type { AdminCerts } from './schemas';

export function certificateFacts(cert: NonNullable<AdminCerts['certificate']>, now: Date): CertificateFacts {
  const notBefore = Date.parse(cert.validFrom);
  const notAfter = Date.parse(cert.expirationTime);
  const left = notAfter - now.getTime();
  const life = notAfter - notBefore;
  return {
    spiffeId: cert.spiffeId,
    serialNumber: cert.serialNumber,
    notBefore: new Date(notBefore).toISOString(),
    notAfter: new Date(notAfter).toISOString(),
    // Floor, so "expires in 0 s" is never shown for a certificate already past notAfter.
    secondsToExpiry: Math.floor(left / 1000),
    lifeLeftShare: life > 0 ? Math.min(1, Math.max(0, left / life)) : 0,
  };
}

/** `read` is undefined when the sidecar answered 404: it runs without a mesh identity. */
export function proxyCertsStatus(
  ref: ProxyRef,
  read: AdminRead<AdminCerts | undefined>,
  now: Date,
): ProxyCertsStatus {
  const who = { proxy: ref.proxy, workload: ref.workload, namespace: ref.namespace };
  if (!read.ok) return { ...who, status: 'unreachable', failure: read.failure, connected: ref.connected };
  if (!read.value) return { ...who, status: 'no-identity' };
  const c = read.value;
  return {
    ...who,
    status: 'ok',
    identity: c.identity,
    certificate: c.certificate ? certificateFacts(c.certificate, now) : null,
    rotations: c.rotations,
    renewFailures: c.renewFailures,
    lastRenewError: c.lastRenewError,
  };
}
