import 'server-only';
import { authState } from '@/features/auth/server/auth-state';
import { decodeSession, readCookie, SESSION_COOKIE } from '@/features/auth/server/session';
import { userByName } from '@/features/auth/server/users-file';
import type { Principal, Role } from '@/features/auth/types';
import { getEnv } from './env';
import { consoleError } from './errors';

export type { Principal, Role };

/** The principal of a request's Cookie header; null when not signed in (token mode only). */
export function principalFromCookieHeader(cookieHeader: string | null): Principal | null {
  const env = getEnv();
  if (env.TRELLIS_CONSOLE_AUTH === 'anonymous')
    return { user: 'anonymous', role: env.TRELLIS_CONSOLE_ANONYMOUS_ROLE };
  const state = authState(env);
  const value = readCookie(cookieHeader, SESSION_COOKIE);
  if (!value) return null;
  const check = decodeSession(state.secret, value, Date.now());
  if (!check.ok) return null;
  // The role comes from the users file now, not from when the cookie was made.
  return userByName(state.users ?? [], check.payload.u);
}

/** Who sent this request; null = not signed in. */
export async function currentPrincipal(req: Request): Promise<Principal | null> {
  return principalFromCookieHeader(req.headers.get('cookie'));
}

function deny(
  code: 'UNAUTHENTICATED' | 'FORBIDDEN_VIEWER_READ_ONLY' | 'FORBIDDEN_CROSS_ORIGIN',
  status: number,
) {
  return Response.json({ error: consoleError(code) }, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * A browser always sends Origin on a POST/PUT/DELETE fetch; one that names another site is a
 * cross-site write (in anonymous mode there is no SameSite cookie to stop it).
 */
function crossOrigin(req: Request): boolean {
  const origin = req.headers.get('origin');
  if (!origin) return false;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/** Every write route starts with this: a Principal that may write, or the 401/403 to answer. */
export async function requireOperator(req: Request): Promise<Principal | Response> {
  if (crossOrigin(req)) return deny('FORBIDDEN_CROSS_ORIGIN', 403);
  const principal = await currentPrincipal(req);
  if (!principal) return deny('UNAUTHENTICATED', 401);
  if (principal.role !== 'operator') return deny('FORBIDDEN_VIEWER_READ_ONLY', 403);
  return principal;
}

/** Read routes: every signed-in principal (everyone in anonymous mode). */
export async function requireSignedIn(req: Request): Promise<Principal | Response> {
  const principal = await currentPrincipal(req);
  return principal ?? deny('UNAUTHENTICATED', 401);
}

/** Headers that make the control plane's history name the user (kubectl --as; see docs/api.md). */
export function actorHeaders(principal: Principal): Record<string, string> {
  return { 'impersonate-user': principal.user };
}
