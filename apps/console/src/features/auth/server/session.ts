import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The session cookie: `base64url(JSON {u, exp}).base64url(HMAC-SHA256(payload))`. It names the user
 * only; the role is looked up in the users file on every request, so a changed role or a removed
 * user takes effect without waiting for sessions to expire.
 */
export const SESSION_COOKIE = 'trellis_session';
/** A working day, in seconds. */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

export interface SessionPayload {
  /** User name. */
  u: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type SessionCheck =
  | { ok: true; payload: SessionPayload }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function newSessionSecret(): Buffer {
  return randomBytes(32);
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function encodeSession(secret: Buffer, user: string, nowMs: number, ttlSeconds = SESSION_TTL_SECONDS) {
  const payload: SessionPayload = { u: user, exp: Math.floor(nowMs / 1000) + ttlSeconds };
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

export function decodeSession(secret: Buffer, value: string, nowMs: number): SessionCheck {
  const dot = value.indexOf('.');
  if (dot <= 0 || dot !== value.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
  const body = value.slice(0, dot);
  const mac = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(secret, body), 'base64url');
  // Check the signature before parsing: nothing an attacker wrote is read unless we wrote it.
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected))
    return { ok: false, reason: 'bad-signature' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (
    typeof payload !== 'object' ||
    payload === null ||
    !('u' in payload) ||
    !('exp' in payload) ||
    typeof payload.u !== 'string' ||
    typeof payload.exp !== 'number'
  )
    return { ok: false, reason: 'malformed' };
  if (payload.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, payload: { u: payload.u, exp: payload.exp } };
}

/** The one cookie value from a Cookie header (no cookie library for one name). */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/**
 * Set-Cookie for a session: HttpOnly (no script reads it), SameSite=Strict (no other site's form
 * or fetch carries it, which is our CSRF defence), Secure when the console is served over https.
 */
export function sessionCookie(value: string, secure: boolean, maxAgeSeconds = SESSION_TTL_SECONDS): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', secure, 0);
}
