import { loadOverview } from '@/features/overview/server/load-overview';

// Live data: never prerendered or cached.
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const result = await loadOverview();
  if (result.ok) return Response.json(result.data, { headers: { 'cache-control': 'no-store' } });
  return Response.json({ error: result.error }, { status: 502, headers: { 'cache-control': 'no-store' } });
}
