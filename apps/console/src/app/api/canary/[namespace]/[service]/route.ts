import { applyWeights, applyWeightsSchema } from '@/features/canary/server/apply-weights';
import { loadCanary } from '@/features/canary/server/load-canary';
import { NAME_RE } from '@/features/canary/server/paths';
import { requireOperator, requireSignedIn } from '@/lib/auth';
import { consoleError, httpStatusOf } from '@/lib/errors';

export const dynamic = 'force-dynamic';
const noStore = { 'cache-control': 'no-store' };

type Params = { params: Promise<{ namespace: string; service: string }> };

function badRequest(detail: string): Response {
  return Response.json(
    { error: consoleError('INVALID_REQUEST', { detail }) },
    { status: 400, headers: noStore },
  );
}

/** The service's split routes: set weights and the split observed over the last minute. */
export async function GET(req: Request, { params }: Params): Promise<Response> {
  const who = await requireSignedIn(req);
  if (who instanceof Response) return who;
  const { namespace, service } = await params;
  if (!NAME_RE.test(namespace) || !NAME_RE.test(service))
    return badRequest('namespace and service are DNS labels');
  const result = await loadCanary(namespace, service);
  if (result.ok) return Response.json(result.data, { headers: noStore });
  return Response.json(
    { error: result.error },
    { status: httpStatusOf(result.error.code), headers: noStore },
  );
}

/** New weights for one VirtualService (operators only), written as the signed-in user. */
export async function PUT(req: Request, { params }: Params): Promise<Response> {
  const who = await requireOperator(req);
  if (who instanceof Response) return who;
  const { namespace, service } = await params;
  if (!NAME_RE.test(namespace) || !NAME_RE.test(service))
    return badRequest('namespace and service are DNS labels');
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return badRequest('the body is not JSON');
  }
  const input = applyWeightsSchema.safeParse(body);
  if (!input.success) {
    const first = input.error.issues[0];
    return badRequest(first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'invalid body');
  }
  const result = await applyWeights(who, namespace, input.data);
  if (result.ok) return Response.json(result.data, { headers: noStore });
  return Response.json(
    { error: result.error },
    { status: httpStatusOf(result.error.code), headers: noStore },
  );
}
