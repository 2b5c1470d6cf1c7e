import { parseServiceRange } from '@/features/service/range';
import { loadServiceMetrics } from '@/features/service/server/load-service';
import { respond, type ServiceRouteContext } from '../respond';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, ctx: ServiceRouteContext): Promise<Response> {
  const { namespace, service } = await ctx.params;
  const range = parseServiceRange(new URL(req.url).searchParams.get('range'));
  return respond(await loadServiceMetrics(namespace, service, range));
}
