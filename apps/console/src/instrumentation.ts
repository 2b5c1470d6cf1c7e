// Runs once when `next start` boots, before the first request: a bad TRELLIS_API_URL stops the
// console here with a clear message instead of failing on every page load.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { EnvError, getEnv } = await import('./lib/env');
  try {
    const env = getEnv();
    console.log(`trellis console: control plane at ${env.TRELLIS_API_URL}`);
    // Token mode: read the users file now, so a broken one stops the console at start.
    const { authState, UsersFileError } = await import('./features/auth/server/auth-state');
    try {
      authState(env);
    } catch (e) {
      if (!(e instanceof UsersFileError)) throw e;
      throw new EnvError(e.message);
    }
    console.log(`trellis console: auth ${env.TRELLIS_CONSOLE_AUTH}`);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    // Next only logs errors thrown here and keeps serving broken pages; exit instead (code 1).
    console.error(`trellis console: ${err.message}`);
    process.exit(1);
  }
}
