import 'server-only';
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { consoleError } from '@/lib/errors';
import { authState } from './auth-state';
import { clearedSessionCookie, encodeSession, sessionCookie } from './session';
import { userForToken } from './users-file';

const loginSchema = z.object({ token: z.string().min(1).max(4096) });

const noStore = { 'cache-control': 'no-store' };

function isHttps(req: Request): boolean {
  return new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
}

/** POST /api/auth/login {token}: sets the session cookie when the token is a user's. */
export async function login(req: Request): Promise<Response> {
  const env = getEnv();
  if (env.TRELLIS_CONSOLE_AUTH !== 'token')
    return Response.json(
      {
        error: consoleError('INVALID_REQUEST', {
          detail: 'this console runs with TRELLIS_CONSOLE_AUTH=anonymous: nobody signs in',
        }),
      },
      { status: 400, headers: noStore },
    );
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    body = null;
  }
  const parsed = loginSchema.safeParse(body);
  if (!parsed.success)
    return Response.json(
      { error: consoleError('INVALID_REQUEST', { detail: 'expected {"token": "..."}' }) },
      { status: 400, headers: noStore },
    );
  const state = authState(env);
  const principal = userForToken(state.users ?? [], parsed.data.token);
  if (!principal)
    return Response.json({ error: consoleError('AUTH_INVALID_TOKEN') }, { status: 401, headers: noStore });
  const cookie = sessionCookie(encodeSession(state.secret, principal.user, Date.now()), isHttps(req));
  return Response.json({ principal, mode: 'token' }, { headers: { ...noStore, 'set-cookie': cookie } });
}

/** POST /api/auth/logout: forgets the session in this browser. */
export function logout(req: Request): Response {
  return Response.json(
    { ok: true },
    { headers: { ...noStore, 'set-cookie': clearedSessionCookie(isHttps(req)) } },
  );
}
