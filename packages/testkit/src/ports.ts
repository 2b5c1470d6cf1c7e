/**
 * Ports for tests that hand a port number to another process to bind. Binding 0 and closing is
 * racy: the OS hands the same ephemeral port to the next listen(0) or outgoing connection of any
 * test running alongside. So ports come from below the ephemeral range instead, and each one is
 * claimed across processes with an O_EXCL lock file holding the claimer's pid, then checked
 * bindable. Claims last for the life of the test process (released on exit; a claim whose pid is
 * dead is stale and taken over).
 */
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const DEFAULT_LOCK_DIR = '/tmp/trellis-ports';
/** `trellis demo`'s default --port-base block (apps/cli/src/demo/layout.ts) and some slack. */
const DEMO_DEFAULT = { from: 20000, to: 20200 };
/** A lock older than this is stale even if its pid has been reused by another process. */
const MAX_LOCK_AGE_MS = 12 * 60 * 60 * 1000;

export interface PortOptions {
  lockDir?: string;
  /** Inclusive range to pick from (default: 20201..min(32000, ephemeral start - 1)). */
  range?: { from: number; to: number };
}

const held = new Map<string, number>(); // lock path -> port
let exitHookInstalled = false;

function releaseAll(): void {
  for (const path of held.keys()) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  held.clear();
}

/** Linux's ephemeral (outgoing and listen(0)) range; the kernel default when unreadable. */
export function ephemeralRange(): { from: number; to: number } {
  try {
    const [from, to] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (from && to) return { from, to };
  } catch {
    // not Linux
  }
  return { from: 32768, to: 60999 };
}

export function defaultRange(): { from: number; to: number } {
  const eph = ephemeralRange();
  const low = { from: DEMO_DEFAULT.to + 1, to: Math.min(32000, eph.from - 1) };
  if (low.to - low.from >= 1000) return low;
  // An unusual ephemeral range reaching down here: use the space above it instead.
  return { from: eph.to + 1, to: 65535 };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isStale(path: string): boolean {
  const pid = lockPid(path);
  if (pid === null) {
    // Empty: another process is between open and write, unless it died right there long ago.
    try {
      return Date.now() - statSync(path).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
  if (!pidAlive(pid)) return true;
  try {
    return Date.now() - statSync(path).mtimeMs > MAX_LOCK_AGE_MS;
  } catch {
    return false;
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Moves a stale lock aside atomically so that of several processes taking it over, only the one
 * whose rename moved the stale file (not a fresh lock someone just made) goes on to create.
 */
function clearStale(path: string): void {
  const stalePid = lockPid(path);
  const aside = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it first
  }
  if (lockPid(aside) !== stalePid) {
    // We moved a fresh lock that replaced the stale one meanwhile: put it back.
    try {
      linkSync(aside, path);
    } catch {
      // a third claimer got in; the bind check still guards the port
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    // gone
  }
}

function claim(lockDir: string, port: number): boolean {
  const path = join(lockDir, String(port));
  if (held.has(path)) return false;
  if (!tryCreate(path)) {
    if (!isStale(path)) return false;
    clearStale(path);
    if (!tryCreate(path)) return false;
  }
  held.set(path, port);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', releaseAll);
  }
  return true;
}

function unclaim(lockDir: string, port: number): void {
  const path = join(lockDir, String(port));
  if (!held.delete(path)) return;
  try {
    unlinkSync(path);
  } catch {
    // gone
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function randomIn(range: { from: number; to: number }): number {
  return range.from + Math.floor(Math.random() * (range.to - range.from + 1));
}

/** `n` distinct ports, claimed for this process's lifetime and free to bind right now. */
export async function reservePorts(n: number, o: PortOptions = {}): Promise<number[]> {
  const lockDir = o.lockDir ?? DEFAULT_LOCK_DIR;
  const range = o.range ?? defaultRange();
  mkdirSync(lockDir, { recursive: true });
  const size = range.to - range.from + 1;
  const out: number[] = [];
  let candidate = randomIn(range);
  for (let tried = 0; out.length < n; tried++) {
    if (tried >= size) {
      for (const p of out) unclaim(lockDir, p);
      throw new Error(`reservePorts: no ${n} free ports in ${range.from}-${range.to}`);
    }
    const port = candidate;
    candidate = port >= range.to ? range.from : port + 1;
    if (!claim(lockDir, port)) continue;
    if (await bindable(port)) out.push(port);
    else unclaim(lockDir, port);
  }
  return out;
}

/** One port; see reservePorts. */
export async function reservePort(o: PortOptions = {}): Promise<number> {
  const [port] = await reservePorts(1, o);
  if (port === undefined) throw new Error('reservePort: none');
  return port;
}

/**
 * A base such that base..base+span-1 are all claimed and bindable, for commands that take a
 * port base (`trellis demo --port-base`). Bases are multiples of 100.
 */
export async function reservePortBlock(span: number, o: PortOptions = {}): Promise<number> {
  const lockDir = o.lockDir ?? DEFAULT_LOCK_DIR;
  const range = o.range ?? defaultRange();
  mkdirSync(lockDir, { recursive: true });
  const first = Math.ceil(range.from / 100);
  const last = Math.floor((range.to - span + 1) / 100);
  if (last < first) throw new Error(`reservePortBlock: span ${span} does not fit ${range.from}-${range.to}`);
  const count = last - first + 1;
  const start = Math.floor(Math.random() * count);
  for (let i = 0; i < count; i++) {
    const base = (first + ((start + i) % count)) * 100;
    const got: number[] = [];
    let ok = true;
    for (let p = base; p < base + span; p++) {
      if (!claim(lockDir, p)) {
        ok = false;
        break;
      }
      got.push(p);
    }
    if (ok) ok = (await Promise.all(got.map(bindable))).every(Boolean);
    if (ok) return base;
    for (const p of got) unclaim(lockDir, p);
  }
  throw new Error(`reservePortBlock: no free block of ${span} ports in ${range.from}-${range.to}`);
}

/** Gives ports back before the process exits (optional: exit releases everything). */
export function releasePorts(ports: number[], o: PortOptions = {}): void {
  for (const p of ports) unclaim(o.lockDir ?? DEFAULT_LOCK_DIR, p);
}
