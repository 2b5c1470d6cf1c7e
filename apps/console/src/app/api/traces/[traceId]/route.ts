import { loadTrace } from '@/features/traces/server/load-traces';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, ctx: { params: Promise<{ traceId: string }> }): Promise<Response> {
  const { traceId } = await ctx.params;
  const result = await loadTrace(traceId);
  const headers = { 'cache-control': 'no-store' };
  if (result.ok) return Response.json(result.data, { headers });
  return Response.json({ error: result.error }, { status: result.httpStatus, headers });
}
