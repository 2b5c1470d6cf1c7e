import { loadCandidates } from '@/features/canary/server/load-canary';
import { requireSignedIn } from '@/lib/auth';
import { answer } from '@/lib/route-response';

export const dynamic = 'force-dynamic';

/** Services that some VirtualService splits between destinations. */
export async function GET(req: Request): Promise<Response> {
  const who = await requireSignedIn(req);
  if (who instanceof Response) return who;
  return answer(await loadCandidates());
}
