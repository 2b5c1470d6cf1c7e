import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT } from '@trellis/shared/history-api';
import { loadHistory } from '@/features/policies/server/history';
import { errorResponse } from '@/features/policies/server/http-status';
import { filterOf } from '@/features/policies/server/requests';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const limit = Number(url.searchParams.get('limit') ?? HISTORY_DEFAULT_LIMIT);
  const result = await loadHistory({
    ...filterOf(url),
    limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, HISTORY_MAX_LIMIT) : HISTORY_DEFAULT_LIMIT,
  });
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.data, { headers: { 'cache-control': 'no-store' } });
}
