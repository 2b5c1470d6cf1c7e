import { NAME_RE } from '@/features/canary/server/paths';
import { loadSecurity } from '@/features/security/server/load-security';
import { setModeSchema, setNamespaceMode } from '@/features/security/server/set-mode';
import { requireOperator, requireSignedIn } from '@/lib/auth';
import { consoleError, httpStatusOf } from '@/lib/errors';

export const dynamic = 'force-dynamic';
const noStore = { 'cache-control': 'no-store' };

type Params = { params: Promise<{ namespace: string }> };

function badRequest(detail: string): Response {
  return Response.json(
    { error: consoleError('INVALID_REQUEST', { detail }) },
    { status: 400, headers: noStore },
  );
}

/** The namespace's effective mTLS mode and the plaintext clients that STRICT would break. */
export async function GET(req: Request, { params }: Params): Promise<Response> {
  const who = await requireSignedIn(req);
  if (who instanceof Response) return who;
  const { namespace } = await params;
  if (!NAME_RE.test(namespace)) return badRequest('the namespace is a DNS label');
  const result = await loadSecurity(namespace);
  if (result.ok) return Response.json(result.data, { headers: noStore });
  return Response.json(
    { error: result.error },
    { status: httpStatusOf(result.error.code), headers: noStore },
  );
}

/** Set the namespace-wide mode (operators only), written as the signed-in user. */
export async function PUT(req: Request, { params }: Params): Promise<Response> {
  const who = await requireOperator(req);
  if (who instanceof Response) return who;
  const { namespace } = await params;
  if (!NAME_RE.test(namespace)) return badRequest('the namespace is a DNS label');
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return badRequest('the body is not JSON');
  }
  const input = setModeSchema.safeParse(body);
  if (!input.success) {
    const first = input.error.issues[0];
    return badRequest(first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'invalid body');
  }
  const result = await setNamespaceMode(who, namespace, input.data);
  if (result.ok) return Response.json(result.data, { headers: noStore });
  return Response.json(
    { error: result.error },
    { status: httpStatusOf(result.error.code), headers: noStore },
  );
}
