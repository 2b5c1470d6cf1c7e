import { loadTopology } from '@/features/topology/server/load-topology';
import { parseTopologyParams } from '@/features/topology/server/params';
import { consoleError } from '@/lib/errors';

// Live data: never prerendered or cached.
export const dynamic = 'force-dynamic';

const NO_STORE = { 'cache-control': 'no-store' };

/** GET /api/topology?namespace=NS&window=60s → TopologyResponse (features/topology/types.ts). */
export async function GET(req: Request): Promise<Response> {
  const parsed = parseTopologyParams(new URL(req.url).searchParams);
  if (!parsed.ok)
    return Response.json(
      { error: consoleError('INVALID_REQUEST', { detail: parsed.detail }) },
      { status: 400, headers: NO_STORE },
    );
  const result = await loadTopology(parsed.params);
  if (result.ok) return Response.json(result.data, { headers: NO_STORE });
  return Response.json({ error: result.error }, { status: 502, headers: NO_STORE });
}
