import { loadProxies } from '@/features/proxies/server/load-proxies';
import { httpStatusOf } from '@/lib/errors';

// Live data: never prerendered or cached.
export const dynamic = 'force-dynamic';

const NO_STORE = { 'cache-control': 'no-store' };

/** GET /api/proxies: the control plane's proxy sync list as the page shows it (ProxiesView). */
export async function GET(): Promise<Response> {
  const result = await loadProxies();
  if (result.ok) return Response.json(result.data, { headers: NO_STORE });
  return Response.json(
    { error: result.error },
    { status: httpStatusOf(result.error.code), headers: NO_STORE },
  );
}
