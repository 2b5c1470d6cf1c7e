import { createHash, timingSafeEqual } from 'node:crypto';
import { parse } from 'yaml';
import { z } from 'zod';
import { type Principal, ROLES } from '../types';

/**
 * TRELLIS_CONSOLE_USERS_FILE: a YAML list of users. Only the SHA-256 of each token is stored, so
 * the file can be read by more people than those who may sign in:
 *
 *   - name: alice
 *     role: operator
 *     tokenSha256: 2bd806c9…   # printf %s "$TOKEN" | sha256sum
 */
const userSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[^\s,]+$/, 'a user name has no spaces or commas (it becomes the Impersonate-User header)'),
  role: z.enum(ROLES),
  tokenSha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'tokenSha256 is 64 hex digits (sha256sum of the token)')
    .transform((h) => h.toLowerCase()),
});
const usersSchema = z.array(userSchema).min(1, 'the users file lists no user');

export type ConsoleUser = z.infer<typeof userSchema>;
export type UsersResult = { ok: true; users: ConsoleUser[] } | { ok: false; problem: string };

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Parses the file's text; every problem names where it is, so a start-up failure says what to fix. */
export function parseUsersFile(text: string): UsersResult {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    return { ok: false, problem: `not YAML: ${(err as Error).message}` };
  }
  const parsed = usersSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const at = first?.path.length ? `[${first.path.join('.')}]` : '(root)';
    return { ok: false, problem: `${at}: ${first?.message ?? 'invalid'}` };
  }
  const seen = new Set<string>();
  for (const u of parsed.data) {
    if (seen.has(u.name)) return { ok: false, problem: `user "${u.name}" is listed twice` };
    seen.add(u.name);
  }
  return { ok: true, users: parsed.data };
}

/** The user a token belongs to. Compares every hash in constant time, so timing says nothing. */
export function userForToken(users: ConsoleUser[], token: string): Principal | null {
  if (token.length === 0) return null;
  const presented = Buffer.from(sha256Hex(token), 'hex');
  let found: ConsoleUser | null = null;
  for (const u of users) {
    if (timingSafeEqual(presented, Buffer.from(u.tokenSha256, 'hex')) && found === null) found = u;
  }
  return found ? { user: found.name, role: found.role } : null;
}

export function userByName(users: ConsoleUser[], name: string): Principal | null {
  const u = users.find((x) => x.name === name);
  return u ? { user: u.name, role: u.role } : null;
}
