import type { MeResponse } from '@/features/auth/types';
import { currentPrincipal } from '@/lib/auth';
import { getEnv } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** Who am I: answers 200 with principal null when not signed in, so the nav can offer sign-in. */
export async function GET(req: Request): Promise<Response> {
  const body: MeResponse = { principal: await currentPrincipal(req), mode: getEnv().TRELLIS_CONSOLE_AUTH };
  return Response.json(body, { headers: { 'cache-control': 'no-store' } });
}
