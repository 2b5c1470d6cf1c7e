import { loadProxies } from '@/features/proxies/server/load-proxies';
import { answer } from '@/lib/route-response';

// Live data: never prerendered or cached.
export const dynamic = 'force-dynamic';

/** GET /api/proxies: the control plane's proxy sync list as the page shows it (ProxiesView). */
export async function GET(): Promise<Response> {
  return answer(await loadProxies());
}
