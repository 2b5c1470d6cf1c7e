import { errorResponse } from '@/features/policies/server/http-status';
import { loadPolicies } from '@/features/policies/server/load-policies';
import { filterOf } from '@/features/policies/server/requests';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const { kind, namespace } = filterOf(new URL(req.url));
  const result = await loadPolicies({ kind, namespace });
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.data, { headers: { 'cache-control': 'no-store' } });
}
