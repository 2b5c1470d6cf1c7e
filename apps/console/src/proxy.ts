import { type NextRequest, NextResponse } from 'next/server';
import { principalFromCookieHeader } from '@/lib/auth';
import { getEnv } from '@/lib/env';
import { consoleError } from '@/lib/errors';

/**
 * In token mode nothing is shown before sign-in (as Kiali's token strategy): pages redirect to
 * /login, console APIs answer 401. Write routes check the role themselves (requireOperator); this
 * gate only keeps the not-signed-in out, so a route that forgets a check still reads nothing.
 */
export function proxy(req: NextRequest): NextResponse | undefined {
  if (getEnv().TRELLIS_CONSOLE_AUTH !== 'token') return undefined;
  if (principalFromCookieHeader(req.headers.get('cookie'))) return undefined;
  const { pathname, search } = req.nextUrl;
  if (pathname.startsWith('/api/'))
    return NextResponse.json(
      { error: consoleError('UNAUTHENTICATED') },
      { status: 401, headers: { 'cache-control': 'no-store' } },
    );
  const login = new URL('/login', req.url);
  login.searchParams.set('next', `${pathname}${search}`);
  return NextResponse.redirect(login);
}

export const config = {
  // Sign-in itself, who-am-I, and Next's static assets stay reachable.
  matcher: ['/((?!login|api/auth/|api/me|_next/|favicon.ico).*)'],
};
