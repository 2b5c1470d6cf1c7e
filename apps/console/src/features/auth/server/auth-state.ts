import { readFileSync, statSync } from 'node:fs';
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
  /** The users file as last read (token mode), so an edit is noticed on the next request. */
  usersFile: { path: string; version: string } | null;
  /** The version whose problem was last logged, so a broken file is reported once, not per request. */
  reportedBad: string | null;
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

/**
 * What identifies one version of the file: inode (a Kubernetes Secret mount swaps a symlink),
 * size and modification time. Null when it cannot be read now.
 */
function fileVersion(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * Re-reads the users file when it changed, so removing a user or changing a role takes effect on
 * that user's next request without a restart (sessions name the user; the role is looked up).
 * A file that is now missing or invalid keeps the last good list and is logged once: a half-written
 * edit must not lock every operator out.
 */
function refreshUsers(state: AuthState): void {
  const file = state.usersFile;
  if (!file) return;
  const version = fileVersion(file.path);
  if (version === file.version) return;
  try {
    state.users = loadUsers(file.path);
    state.usersFile = { path: file.path, version: version ?? '' };
    state.reportedBad = null;
    console.log(`trellis console: users file re-read (${state.users.length} users)`);
  } catch (err) {
    const key = version ?? 'missing';
    if (state.reportedBad !== key)
      console.error(`trellis console: ${(err as Error).message}; keeping the previous users`);
    state.reportedBad = key;
  }
}

export function authState(env: ConsoleEnv): AuthState {
  const g = globalThis as WithAuth;
  let state = g[KEY];
  if (!state) {
    const path =
      env.TRELLIS_CONSOLE_AUTH === 'token' && env.TRELLIS_CONSOLE_USERS_FILE
        ? env.TRELLIS_CONSOLE_USERS_FILE
        : null;
    const version = path ? fileVersion(path) : null;
    state = {
      secret: env.TRELLIS_CONSOLE_SESSION_SECRET
        ? Buffer.from(env.TRELLIS_CONSOLE_SESSION_SECRET, 'utf8')
        : newSessionSecret(),
      users: path ? loadUsers(path) : null,
      usersFile: path ? { path, version: version ?? '' } : null,
      reportedBad: null,
    };
    g[KEY] = state;
  } else refreshUsers(state);
  return state;
}
