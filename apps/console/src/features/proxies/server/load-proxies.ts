import 'server-only';
import { PROXY_ADMIN_PATHS } from '@trellis/shared/proxy-admin-api';
import { getControlPlane } from '@/lib/control-plane';
import type { ConsoleErrorBody } from '@/lib/errors';
import { proxyCertsListSchema } from '@/lib/wire/proxy-admin';
import { proxyStatusListSchema } from '@/lib/wire/proxy-status';
import type { ProxiesView } from '../types';
import { buildProxiesView } from './proxies-view';

/** The control plane's proxy sync list (docs/config-push.md). */
export const PROXY_STATUS_PATH = '/api/v1/mesh/proxies';

export type ProxiesResult = { ok: true; data: ProxiesView } | { ok: false; error: ConsoleErrorBody };

/**
 * The sync list and the certificates (read by the control plane from each sidecar's admin /certs)
 * in parallel; the page still lists proxies when the certificates cannot be had.
 */
export async function loadProxies(): Promise<ProxiesResult> {
  const [list, certs] = await Promise.all([
    getControlPlane(PROXY_STATUS_PATH, proxyStatusListSchema),
    getControlPlane(PROXY_ADMIN_PATHS.certs, proxyCertsListSchema),
  ]);
  if (!list.ok) return list;
  const certSource = certs.ok
    ? certs
    : { ok: false as const, code: certs.error.code, detail: certs.error.detail ?? null };
  return { ok: true, data: buildProxiesView(list.data, Date.now(), certSource) };
}
