import type { Loaded } from '@/features/service/server/load-service';

/** Route params of /api/services/[namespace]/[service]/... (a Promise since Next 15). */
export interface ServiceRouteContext {
  params: Promise<{ namespace: string; service: string }>;
}

const NO_STORE = { 'cache-control': 'no-store' };

/** Live data, never cached; a control plane failure is the console's 502 with the catalogue body. */
export function respond<T>(result: Loaded<T>): Response {
  if (result.ok) return Response.json(result.data, { headers: NO_STORE });
  return Response.json({ error: result.error }, { status: 502, headers: NO_STORE });
}
