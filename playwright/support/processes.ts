import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reservePort } from '@trellis/testkit';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CONSOLE_DIR = join(ROOT, 'apps/console');
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');

/** A port claimed for this process outside the ephemeral range (see @trellis/testkit). */
export function freePort(): Promise<number> {
  return reservePort();
}

export interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function start(
  name: string,
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv },
): Proc {
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    // Bounded: only the tail matters for a failure message.
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    name,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Polls `url` until it answers (any status below 500), the process exits, or the deadline passes. */
export async function waitForHttp(proc: Proc, url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) return false;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * The browser tests run the production build (`next start`), so build first when there is no
 * build or a source is newer than it. A build takes about a minute on two cores.
 */
export function ensureConsoleBuild(): void {
  const buildId = join(CONSOLE_DIR, '.next/BUILD_ID');
  const inputs = [
    join(CONSOLE_DIR, 'src'),
    join(CONSOLE_DIR, 'next.config.ts'),
    join(CONSOLE_DIR, 'package.json'),
    join(ROOT, 'packages/shared/src/telemetry-api.ts'),
  ];
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= Math.max(...inputs.map(newestMtime))) return;
  console.log('[playwright] building the console (next build)…');
  const r = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
    cwd: CONSOLE_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`next build failed with exit code ${r.status}`);
}

export async function startConsole(apiUrl: string): Promise<{ url: string; proc: Proc }> {
  const port = await freePort();
  const proc = start(
    'console',
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: CONSOLE_DIR,
      env: { TRELLIS_API_URL: apiUrl },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(proc, `${url}/topology`, 60_000))) {
    await proc.stop();
    throw new Error(`the console did not start:\n${proc.output()}`);
  }
  return { url, proc };
}
