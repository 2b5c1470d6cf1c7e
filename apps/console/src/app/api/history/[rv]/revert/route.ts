import { revertChange } from '@/features/policies/server/history';
import { errorResponse } from '@/features/policies/server/http-status';
import { parseRevertRequest } from '@/features/policies/server/requests';
import { requireOperator } from '@/lib/auth';
import { consoleError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ rv: string }>;
}

/** Revert one change as the signed-in operator; 409 when the object changed since (unless force). */
export async function POST(req: Request, ctx: Context): Promise<Response> {
  const principal = await requireOperator(req);
  if (principal instanceof Response) return principal;
  const { rv } = await ctx.params;
  if (!/^\d+$/.test(rv))
    return errorResponse(consoleError('INVALID_REQUEST', { detail: `not a resourceVersion: ${rv}` }));
  const body = await parseRevertRequest(req);
  if (!body.ok) return errorResponse(body.error);
  const result = await revertChange(rv, { force: body.value.force === true, actor: principal.user });
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.data, { headers: { 'cache-control': 'no-store' } });
}
