/**
 * One `next build` at a time per checkout: two demos (or a demo and a test) starting together
 * would otherwise write the same .next directory at once. The lock is a file holding the
 * builder's pid; a lock whose holder is gone is taken over.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './procfs';

export function buildLockPath(root: string): string {
  const id = createHash('sha256').update(root).digest('hex').slice(0, 12);
  return join(tmpdir(), `trellis-console-build-${id}.lock`);
}

function holder(path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Waits (bounded by the signal) until the lock is ours; returns its release function. */
export async function acquireBuildLock(
  root: string,
  signal: AbortSignal,
  onWait: (pid: number) => void,
): Promise<() => void> {
  const path = buildLockPath(root);
  let told = false;
  for (;;) {
    signal.throwIfAborted();
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => {
        if (holder(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = holder(path);
    if (pid === null || !isAlive(pid)) {
      rmSync(path, { force: true });
      continue;
    }
    if (!told) onWait(pid);
    told = true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
