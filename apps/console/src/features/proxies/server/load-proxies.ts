import 'server-only';
import { getControlPlane } from '@/lib/control-plane';
import type { ConsoleErrorBody } from '@/lib/errors';
import { proxyStatusListSchema } from '@/lib/wire/proxy-status';
import type { ProxiesView } from '../types';
import { buildProxiesView } from './proxies-view';

/** The control plane's proxy sync list (docs/config-push.md). */
export const PROXY_STATUS_PATH = '/api/v1/mesh/proxies';

export type ProxiesResult = { ok: true; data: ProxiesView } | { ok: false; error: ConsoleErrorBody };

export async function loadProxies(): Promise<ProxiesResult> {
  const list = await getControlPlane(PROXY_STATUS_PATH, proxyStatusListSchema);
  if (!list.ok) return list;
  return { ok: true, data: buildProxiesView(list.data, Date.now()) };
}
