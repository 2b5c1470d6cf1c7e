import { NAME_RE } from '@/features/canary/server/paths';
import { loadSecurity } from '@/features/security/server/load-security';
import { setModeSchema, setNamespaceMode } from '@/features/security/server/set-mode';
import { requireOperator, requireSignedIn } from '@/lib/auth';
import { answer, badRequest, readBody } from '@/lib/route-response';

export const dynamic = 'force-dynamic';

type Params = { params: Promise<{ namespace: string }> };

/** The namespace's effective mTLS mode and the plaintext clients that STRICT would break. */
export async function GET(req: Request, { params }: Params): Promise<Response> {
  const who = await requireSignedIn(req);
  if (who instanceof Response) return who;
  const { namespace } = await params;
  if (!NAME_RE.test(namespace)) return badRequest('the namespace is a DNS label');
  return answer(await loadSecurity(namespace));
}

/** Set the namespace-wide mode (operators only), written as the signed-in user. */
export async function PUT(req: Request, { params }: Params): Promise<Response> {
  const who = await requireOperator(req);
  if (who instanceof Response) return who;
  const { namespace } = await params;
  if (!NAME_RE.test(namespace)) return badRequest('the namespace is a DNS label');
  const input = await readBody(req, setModeSchema);
  if (input instanceof Response) return input;
  return answer(await setNamespaceMode(who, namespace, input));
}
