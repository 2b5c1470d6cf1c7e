/**
 * A running `trellis demo` for the browser tests: TRELLIS_DEMO_DIR=DIR uses one that is already
 * running (its DIR/demo.json), otherwise a fresh one is started on a free block of ports in a
 * temp dir and stopped (SIGINT, as Ctrl-C) afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reservePortBlock } from '@trellis/testkit';
import { ROOT } from './processes';

/** DIR/demo.json, as DESIGN.md specifies it. */
export interface DemoState {
  ready: boolean;
  console: string;
  api: string;
  kubeconfig: string;
  workloads: {
    name: string;
    namespace: string;
    version: string;
    adminPort: number;
    metricsPort: number;
    inboundPort: number;
  }[];
}

export interface RunningDemo {
  state: DemoState;
  /** The load generator's rate the demo was started with (null when it was already running). */
  rate: number | null;
  stop(): Promise<void>;
}

const SPAN = 75;

function freePortBase(): Promise<number> {
  // Claimed outside the ephemeral range, away from the ports other tests get from the OS.
  return reservePortBlock(SPAN);
}

function readState(dir: string): DemoState | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as DemoState;
  } catch {
    return null;
  }
}

export async function useDemo(rate: number, timeoutMs: number): Promise<RunningDemo> {
  const existing = process.env.TRELLIS_DEMO_DIR;
  if (existing) {
    const state = readState(existing);
    if (!state?.ready) throw new Error(`TRELLIS_DEMO_DIR=${existing}: demo.json is not ready`);
    return { state, rate: null, stop: async () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'trellis-pw-demo-'));
  const base = await freePortBase();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'apps/cli/bin/trellis.mjs'),
      'demo',
      '--data-dir',
      dir,
      '--port-base',
      String(base),
      '--rate',
      String(rate),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const state = readState(dir);
    if (state?.ready) return { state, rate, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`trellis demo did not become ready:\n${out}`);
}
