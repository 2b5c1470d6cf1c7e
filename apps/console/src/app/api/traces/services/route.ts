import { loadTraceServices } from '@/features/traces/server/load-traces';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const result = await loadTraceServices();
  const headers = { 'cache-control': 'no-store' };
  if (result.ok) return Response.json(result.data, { headers });
  return Response.json({ error: result.error }, { status: result.httpStatus, headers });
}
