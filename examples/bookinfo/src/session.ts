import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * productpage's login session: the user name in a signed cookie (Bookinfo uses Flask's signed
 * session). Signed so a client cannot claim another user by editing the cookie; the secret
 * is shared by every productpage replica so a session survives a switch between them.
 */
export const SESSION_COOKIE = 'session';
const DEFAULT_SECRET = 'trellis-bookinfo-demo';

function sign(value: string, secret: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url');
}

/** A nonce per login, so two logins as one user are two sessions (as Flask's are). */
export function encodeSession(user: string, secret = DEFAULT_SECRET): string {
  const value = Buffer.from(JSON.stringify({ u: user, n: randomBytes(6).toString('hex') })).toString(
    'base64url',
  );
  return `${value}.${sign(value, secret)}`;
}

export function decodeSession(cookieValue: string, secret = DEFAULT_SECRET): string | null {
  const dot = cookieValue.indexOf('.');
  if (dot <= 0) return null;
  const value = cookieValue.slice(0, dot);
  const given = Buffer.from(cookieValue.slice(dot + 1));
  const expected = Buffer.from(sign(value, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('u' in parsed)) return null;
    return typeof parsed.u === 'string' && parsed.u !== '' ? parsed.u : null;
  } catch {
    return null;
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export function sessionUser(cookieHeader: string | undefined, secret?: string): string | null {
  const raw = parseCookies(cookieHeader).get(SESSION_COOKIE);
  return raw ? decodeSession(raw, secret) : null;
}
