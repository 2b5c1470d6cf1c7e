import { errorResponse } from '@/features/policies/server/http-status';
import { parseWriteRequest } from '@/features/policies/server/requests';
import { writePolicy } from '@/features/policies/server/write-policy';
import { requireOperator } from '@/lib/auth';

export const dynamic = 'force-dynamic';

/** Create or update (with the base resourceVersion) as the signed-in operator. */
export async function POST(req: Request): Promise<Response> {
  const principal = await requireOperator(req);
  if (principal instanceof Response) return principal;
  const body = await parseWriteRequest(req);
  if (!body.ok) return errorResponse(body.error);
  const result = await writePolicy(body.value, { dryRun: false, actor: principal.user });
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.data, {
    status: result.data.action === 'create' ? 201 : 200,
    headers: { 'cache-control': 'no-store' },
  });
}
