/**
 * Test support for the Kubernetes-style API: start `trellis controlplane` as a real child process
 * and drive it with the real kubectl. Every helper cleans up after itself through t.after.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const TRELLIS = join(ROOT, 'apps/cli/bin/trellis.mjs');
export const BOOKINFO = join(ROOT, 'packages/shared/fixtures/bookinfo');

export function tempDir(t: TestContext, prefix = 'trellis-cp-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface RunningControlPlane {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Sends a signal and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  stderr(): string;
}

/** Starts `trellis controlplane` on an OS-picked port and waits for its "ready URL" line. */
export async function startCli(
  t: TestContext,
  dataDir: string,
  extra: string[] = [],
): Promise<RunningControlPlane> {
  const child = spawn(
    process.execPath,
    [TRELLIS, 'controlplane', '--data-dir', dataDir, '--port', '0', '--grpc-port', '0', ...extra],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`control plane not ready after 60 s:\n${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (\S+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`control plane exited (${code}) before ready:\n${err}`));
    });
  });
  let stopped: Promise<number | null> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!stopped) {
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      stopped = exited.finally(() => clearTimeout(killer));
    }
    return stopped;
  };
  t.after(() => stop());
  return { url, dataDir, child, stop, stderr: () => err };
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (...args: string[]): Promise<Result>;
  /** Runs with the given stdin (e.g. `apply -f -`). */
  withInput(input: string, ...args: string[]): Promise<Result>;
}

/**
 * kubectl against `server`, with a fresh discovery cache (kubectl caches discovery under
 * ~/.kube/cache otherwise) and an empty KUBECONFIG, so nothing on the machine leaks in.
 */
export function kubectlFor(t: TestContext, server: string, env: Record<string, string> = {}): Kubectl {
  const dir = tempDir(t, 'trellis-kubectl-');
  const kubeconfig = join(dir, 'empty-kubeconfig');
  writeFileSync(kubeconfig, '');
  const run = (input: string | undefined, args: string[]) =>
    new Promise<Result>((resolve) => {
      const child = execFile(
        'kubectl',
        ['--server', server, '--cache-dir', join(dir, 'cache'), '--request-timeout', '30s', ...args],
        { env: { ...process.env, KUBECONFIG: kubeconfig, ...env }, timeout: 60_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  const k = ((...args: string[]) => run(undefined, args)) as Kubectl;
  k.withInput = (input, ...args) => run(input, args);
  return k;
}

/** Writes a YAML document to a temp file and returns its path. */
export function yamlFile(t: TestContext, text: string, name = 'object.yaml'): string {
  const path = join(tempDir(t, 'trellis-yaml-'), name);
  writeFileSync(path, text);
  return path;
}

export function assertOk(r: Result, what: string): void {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stderr}\n${r.stdout}`);
}
