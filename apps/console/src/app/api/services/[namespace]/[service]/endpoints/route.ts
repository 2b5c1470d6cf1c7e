import { loadServiceEndpoints } from '@/features/service/server/load-service';
import { respond, type ServiceRouteContext } from '../respond';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, ctx: ServiceRouteContext): Promise<Response> {
  const { namespace, service } = await ctx.params;
  return respond(await loadServiceEndpoints(namespace, service));
}
