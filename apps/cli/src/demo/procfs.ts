/**
 * Finding the demo's processes without trusting pids alone (pids are reused): every process the
 * demo starts carries DEMO_TAG_ENV=<absolute data dir> in its environment, and children inherit
 * it. On Linux /proc/PID/environ shows it, so a new `trellis demo` can stop what a killed one left
 * behind, and tests can check that nothing is left. Elsewhere the scan finds nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const DEMO_TAG_ENV = 'TRELLIS_DEMO_DATA_DIR';

export interface TaggedProcess {
  pid: number;
  cmdline: string;
}

export function findTaggedProcesses(dataDir: string): TaggedProcess[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const tag = `${DEMO_TAG_ENV}=${dataDir}`;
  const out: TaggedProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!env.includes(tag)) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      // Zombies have an empty cmdline and hold nothing: they are gone once reaped.
      if (cmdline === '') continue;
      out.push({ pid, cmdline });
    } catch {
      // Exited meanwhile, or not ours to read.
    }
  }
  return out;
}

/** True while a process with this pid exists (and may be signalled by us). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while any process is left in the process group. */
export function groupAlive(pgid: number): boolean {
  return isAlive(-pgid);
}

/** Signals a whole process group; false when it is already empty. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}
