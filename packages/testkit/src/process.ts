/**
 * Child processes for tests: output kept for the failure message, stopped by the test's cleanup,
 * and waits that give up as soon as the process they wait for has exited (instead of polling a
 * dead port until the deadline).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** What node:test's TestContext offers that the helpers need; suite hooks can supply their own. */
export interface TestContext {
  after(fn: () => void | Promise<void>): void;
  diagnostic(message: string): void;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  hasExited(): boolean;
  /** Throws ProcessExitedError (which waitUntil does not retry) when the process has exited. */
  assertRunning(): void;
  /** `signal` (SIGTERM), then SIGKILL after `killAfterMs`; resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export class ProcessExitedError extends Error {
  constructor(
    readonly proc: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    output: string,
  ) {
    super(`${proc} exited (${signal ?? `code ${code}`}):\n${output.slice(-4000)}`);
    this.name = 'ProcessExitedError';
  }
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Output kept for diagnostics (the tail). */
  keepChars?: number;
  killAfterMs?: number;
}

/**
 * Spawns `cmd args` with piped output. With a TestContext the process is stopped by t.after
 * (and its output shown there when TRELLIS_E2E_LOGS is set); without, the caller stops it.
 */
export function spawnProcess(
  t: TestContext | null,
  name: string,
  cmd: string,
  args: string[],
  o: SpawnOptions = {},
): Proc {
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...o.env },
    ...(o.cwd ? { cwd: o.cwd } : {}),
  });
  const keepChars = o.keepChars ?? 100_000;
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 2 * keepChars) out = out.slice(-keepChars);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    // A command that cannot start at all (ENOENT) never emits exit.
    child.once('error', (err) => {
      out += `\n${String(err)}`;
      resolve(null);
    });
  });
  let spawnFailed = false;
  child.once('error', () => {
    spawnFailed = true;
  });
  const hasExited = () => spawnFailed || child.exitCode !== null || child.signalCode !== null;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (hasExited()) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 3000);
    await exited;
    clearTimeout(timer);
  };
  const proc: Proc = {
    name,
    child,
    output: () => out.slice(-keepChars),
    exited,
    hasExited,
    assertRunning() {
      if (hasExited()) throw new ProcessExitedError(name, child.exitCode, child.signalCode, out);
    },
    stop,
  };
  t?.after(async () => {
    await stop();
    if (process.env.TRELLIS_E2E_LOGS) t.diagnostic(`--- ${name}\n${out.slice(-4000)}`);
  });
  return proc;
}

export interface WaitOptions {
  timeoutMs?: number;
  everyMs?: number;
  /** Give up as soon as one of these has exited, with its output. */
  procs?: Proc[];
}

/**
 * Polls `check` until it returns something other than undefined/false. Errors from `check` are
 * retried (the thing is not up yet) except ProcessExitedError, which ends the wait at once.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  o: WaitOptions = {},
): Promise<T> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const everyMs = o.everyMs ?? 100;
  const procs = o.procs ?? [];
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    for (const p of procs) p.assertRunning();
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      if (err instanceof ProcessExitedError) throw err;
      last = err;
    }
    // The check may have failed because the process died meanwhile: say that, not "timed out".
    for (const p of procs) p.assertRunning();
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    await Promise.race([sleep(everyMs), ...procs.map((p) => p.exited)]);
  }
}
