/**
 * The files scripts outside the repo read: DIR/demo.json (the contract in DESIGN.md) and
 * DIR/demo.pids.json (who is running, for `trellis demo` itself and for tests that check nothing
 * is left behind). Both are written atomically: a reader sees the old file or the new one.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoLayout } from './layout';

export const DEMO_JSON = 'demo.json';
export const PIDS_JSON = 'demo.pids.json';

/** DESIGN.md's contract, field for field. */
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

export interface PidsFile {
  /** The `trellis demo` process. */
  demo: number;
  watchdog: number | null;
  /** Every process started, by name; each leads its own process group (pgid = pid). */
  processes: { name: string; pid: number }[];
}

export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function demoState(layout: DemoLayout, kubeconfig: string, ready: boolean): DemoState {
  return {
    ready,
    console: `http://127.0.0.1:${layout.consolePort}`,
    api: `http://127.0.0.1:${layout.apiPort}`,
    kubeconfig,
    workloads: layout.workloads.map((w) => ({
      name: w.name,
      namespace: w.namespace,
      version: w.version,
      adminPort: w.adminPort,
      metricsPort: w.metricsPort,
      inboundPort: w.inboundPort,
    })),
  };
}

export function writeDemoState(dataDir: string, state: DemoState): void {
  writeAtomic(join(dataDir, DEMO_JSON), `${JSON.stringify(state, null, 2)}\n`);
}

export function removeDemoState(dataDir: string): void {
  rmSync(join(dataDir, DEMO_JSON), { force: true });
}

export function writePids(dataDir: string, pids: PidsFile): void {
  writeAtomic(join(dataDir, PIDS_JSON), `${JSON.stringify(pids, null, 2)}\n`);
}

export function readPids(dataDir: string): PidsFile | null {
  const path = join(dataDir, PIDS_JSON);
  if (!existsSync(path)) return null;
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<PidsFile>;
    if (typeof v.demo !== 'number' || !Array.isArray(v.processes)) return null;
    return { demo: v.demo, watchdog: v.watchdog ?? null, processes: v.processes };
  } catch {
    return null;
  }
}
