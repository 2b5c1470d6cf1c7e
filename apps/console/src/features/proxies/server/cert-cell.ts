import type { ProxyCertsWire } from '@/lib/wire/proxy-admin';
import type { CertCell } from '../types';
import { timeView } from './relative-time';

/** Below this share of its lifetime left a certificate shows red: rotation (at half life) is overdue. */
export const EXPIRING_SHARE = 0.1;

export const CERT_NOT_REPORTED: CertCell = {
  state: 'not-reported',
  text: 'not reported',
  tone: 'muted',
  spiffeId: null,
  notAfter: null,
  title: 'The control plane did not report this sidecar’s certificate.',
};

/** "in 45 s", "in 12 min", "in 11 h", "in 3 d": coarse on purpose, the UTC time is in the tooltip. */
export function inText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `in ${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `in ${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `in ${h} h`;
  return `in ${Math.floor(h / 24)} d`;
}

/**
 * A sidecar's certificate as the proxies page shows it, judged at `nowMs` (the view's time, not
 * the control plane's read, so the text matches the page's other relative times). Pure.
 */
export function certCell(certs: ProxyCertsWire | undefined, nowMs: number): CertCell {
  if (!certs) return CERT_NOT_REPORTED;
  switch (certs.status) {
    case 'no-identity':
      return {
        state: 'no-identity',
        text: 'no mesh identity',
        tone: 'muted',
        spiffeId: null,
        notAfter: null,
        title: 'The sidecar runs without a mesh identity (no --join-token-file): no mTLS.',
      };
    case 'unreachable':
      return {
        state: 'unreachable',
        text: 'unreachable',
        tone: 'warn',
        spiffeId: null,
        notAfter: null,
        title: `The control plane could not read its admin /certs: ${certs.failure.message ?? certs.failure.kind}`,
      };
    case 'ok': {
      const c = certs.certificate;
      const renew = certs.lastRenewError ? ` Last renewal failed: ${certs.lastRenewError}` : '';
      if (!c)
        return {
          state: 'none',
          text: 'no certificate yet',
          tone: 'warn',
          spiffeId: certs.identity,
          notAfter: null,
          title: `Waiting for its first certificate as ${certs.identity}.${renew}`,
        };
      const notBefore = Date.parse(c.notBefore);
      const notAfter = Date.parse(c.notAfter);
      const left = notAfter - nowMs;
      const share = notAfter > notBefore ? left / (notAfter - notBefore) : 0;
      const validity = `Serial ${c.serialNumber}, valid ${timeView(c.notBefore, nowMs)?.utc} – ${timeView(c.notAfter, nowMs)?.utc}; ${certs.rotations} rotations.`;
      const base = { spiffeId: c.spiffeId, notAfter: timeView(c.notAfter, nowMs) };
      if (left <= 0)
        return {
          state: 'expired',
          text: `expired ${timeView(c.notAfter, nowMs)?.ago ?? ''}`.trim(),
          tone: 'bad',
          ...base,
          title: `Expired: peers refuse its mTLS. ${validity}${renew}`,
        };
      if (share < EXPIRING_SHARE)
        return {
          state: 'expiring',
          text: `expires ${inText(left)}`,
          tone: 'bad',
          ...base,
          title: `Under ${EXPIRING_SHARE * 100} % of its lifetime left: renewal (at half life) has not happened. ${validity}${renew}`,
        };
      return {
        state: 'valid',
        text: `expires ${inText(left)}`,
        tone: 'ok',
        ...base,
        title: `${validity}${renew}`,
      };
    }
  }
}
