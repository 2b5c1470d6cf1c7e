import { parseTraceSearch } from '@/features/traces/search-params';
import { loadTraceSearch } from '@/features/traces/server/load-traces';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const result = await loadTraceSearch(parseTraceSearch(new URL(req.url).searchParams));
  const headers = { 'cache-control': 'no-store' };
  if (result.ok) return Response.json(result.data, { headers });
  return Response.json({ error: result.error }, { status: result.httpStatus, headers });
}
