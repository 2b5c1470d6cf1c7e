import { loadCandidates } from '@/features/canary/server/load-canary';
import { requireSignedIn } from '@/lib/auth';
import { httpStatusOf } from '@/lib/errors';

export const dynamic = 'force-dynamic';
const noStore = { 'cache-control': 'no-store' };

/** Services that some VirtualService splits between destinations. */
export async function GET(req: Request): Promise<Response> {
  const who = await requireSignedIn(req);
  if (who instanceof Response) return who;
  const result = await loadCandidates();
  if (result.ok) return Response.json(result.data, { headers: noStore });
  return Response.json(
    { error: result.error },
    { status: httpStatusOf(result.error.code), headers: noStore },
  );
}
