import { errorResponse } from '@/features/policies/server/http-status';
import { parseWriteRequest } from '@/features/policies/server/requests';
import { writePolicy } from '@/features/policies/server/write-policy';
import { requireSignedIn } from '@/lib/auth';

export const dynamic = 'force-dynamic';

/** The server-side dry run (dryRun=All): validates and analyses, stores nothing, so viewers may check too. */
export async function POST(req: Request): Promise<Response> {
  const principal = await requireSignedIn(req);
  if (principal instanceof Response) return principal;
  const body = await parseWriteRequest(req);
  if (!body.ok) return errorResponse(body.error);
  const result = await writePolicy(body.value, { dryRun: true, actor: principal.user });
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.data, { headers: { 'cache-control': 'no-store' } });
}
