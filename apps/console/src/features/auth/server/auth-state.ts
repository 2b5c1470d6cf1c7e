import { readFileSync } from 'node:fs';
import type { ConsoleEnv } from '@/lib/env';
import { newSessionSecret } from './session';
import { type ConsoleUser, parseUsersFile } from './users-file';

/**
 * Process-wide auth state. Kept on globalThis because Next bundles route handlers, pages and the
 * proxy separately, and each bundle would otherwise hold its own copy (and its own random secret).
 */
interface AuthState {
  secret: Buffer;
  users: ConsoleUser[] | null;
}

const KEY = Symbol.for('trellis.console.auth');
type WithAuth = typeof globalThis & { [KEY]?: AuthState };

export class UsersFileError extends Error {
  override name = 'UsersFileError';
}

/** Reads and checks TRELLIS_CONSOLE_USERS_FILE; throws UsersFileError naming the problem. */
export function loadUsers(path: string): ConsoleUser[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsersFileError(`TRELLIS_CONSOLE_USERS_FILE=${path}: ${(err as Error).message}`);
  }
  const parsed = parseUsersFile(text);
  if (!parsed.ok) throw new UsersFileError(`TRELLIS_CONSOLE_USERS_FILE=${path}: ${parsed.problem}`);
  return parsed.users;
}

export function authState(env: ConsoleEnv): AuthState {
  const g = globalThis as WithAuth;
  let state = g[KEY];
  if (!state) {
    state = {
      secret: env.TRELLIS_CONSOLE_SESSION_SECRET
        ? Buffer.from(env.TRELLIS_CONSOLE_SESSION_SECRET, 'utf8')
        : newSessionSecret(),
      users:
        env.TRELLIS_CONSOLE_AUTH === 'token' && env.TRELLIS_CONSOLE_USERS_FILE
          ? loadUsers(env.TRELLIS_CONSOLE_USERS_FILE)
          : null,
    };
    g[KEY] = state;
  }
  return state;
}
