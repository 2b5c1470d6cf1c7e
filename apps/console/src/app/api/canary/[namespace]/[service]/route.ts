import { applyWeights, applyWeightsSchema } from '@/features/canary/server/apply-weights';
import { createShift, createShiftSchema } from '@/features/canary/server/create-shift';
import { loadCanary } from '@/features/canary/server/load-canary';
import { NAME_RE } from '@/features/canary/server/paths';
import { requireOperator, requireSignedIn } from '@/lib/auth';
import { answer, badRequest, readBody } from '@/lib/route-response';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ namespace: string; service: string }> };

/** The service's split routes: set weights and the split observed over the last minute. */
export async function GET(req: Request, { params }: Params): Promise<Response> {
  const who = await requireSignedIn(req);
  if (who instanceof Response) return who;
  const { namespace, service } = await params;
  if (!NAME_RE.test(namespace) || !NAME_RE.test(service))
    return badRequest('namespace and service are DNS labels');
  return answer(await loadCanary(namespace, service));
}

/** New weights for one VirtualService (operators only), written as the signed-in user. */
export async function PUT(req: Request, { params }: Params): Promise<Response> {
  const who = await requireOperator(req);
  if (who instanceof Response) return who;
  const { namespace, service } = await params;
  if (!NAME_RE.test(namespace) || !NAME_RE.test(service))
    return badRequest('namespace and service are DNS labels');
  const input = await readBody(req, applyWeightsSchema);
  if (input instanceof Response) return input;
  return answer(await applyWeights(who, namespace, input));
}

/**
 * Create traffic shifting (operators only), written as the signed-in user: DestinationRule and
 * VirtualService SERVICE, created with POST so an existing one answers 409 and nothing is replaced.
 */
export async function POST(req: Request, { params }: Params): Promise<Response> {
  const who = await requireOperator(req);
  if (who instanceof Response) return who;
  const { namespace, service } = await params;
  if (!NAME_RE.test(namespace) || !NAME_RE.test(service))
    return badRequest('namespace and service are DNS labels');
  const input = await readBody(req, createShiftSchema);
  if (input instanceof Response) return input;
  return answer(await createShift(who, namespace, service, input));
}
