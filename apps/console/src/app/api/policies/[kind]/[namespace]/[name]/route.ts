import { isPolicyKind } from '@/features/policies/model/ref';
import { errorResponse } from '@/features/policies/server/http-status';
import { loadPolicy } from '@/features/policies/server/load-policies';
import { consoleError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

interface Context {
  params: Promise<{ kind: string; namespace: string; name: string }>;
}

export async function GET(_req: Request, ctx: Context): Promise<Response> {
  const { kind, namespace, name } = await ctx.params;
  if (!isPolicyKind(kind))
    return errorResponse(consoleError('INVALID_REQUEST', { detail: `not a mesh kind: ${kind}` }));
  const result = await loadPolicy({ kind, namespace, name });
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.data, { headers: { 'cache-control': 'no-store' } });
}
