/**
 * Driving `trellis demo` as a real process from a test: a free block of ports for --port-base,
 * start and wait for DIR/demo.json, kubectl against its kubeconfig, Bookinfo pages, the telemetry
 * graph, and the "nothing left running" check (/proc scan for the data dir and the recorded pids).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ServiceGraph } from '@trellis/shared';
import { reservePortBlock } from '@trellis/testkit';
import { PORT_SPAN } from '../src/demo/layout';
import type { DemoState, PidsFile } from '../src/demo/state-files';

const exec = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TRELLIS = join(ROOT, 'apps/cli/bin/trellis.mjs');
export const FIXTURES = join(ROOT, 'packages/shared/fixtures/bookinfo');

/**
 * A base whose PORT_SPAN ports are claimed for this test process (outside Linux's ephemeral
 * range, so OS-picked ports of other tests do not land inside it while the demo starts).
 */
export function freePortBase(): Promise<number> {
  return reservePortBlock(PORT_SPAN);
}

export interface DemoProcess {
  child: ChildProcess;
  dataDir: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGINT, as Ctrl-C; SIGKILL if it has not exited after `graceMs`. */
  interrupt(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startDemo(dataDir: string, portBase: number, rate: number): DemoProcess {
  const child = spawn(
    process.execPath,
    [TRELLIS, 'demo', '--data-dir', dataDir, '--port-base', String(portBase), '--rate', String(rate)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    dataDir,
    output: () => out,
    exited,
    async interrupt(graceMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
  };
}

export function readState(dataDir: string): DemoState | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoState;
  } catch {
    return null;
  }
}

export function readPidsFile(dataDir: string): PidsFile {
  return JSON.parse(readFileSync(join(dataDir, 'demo.pids.json'), 'utf8')) as PidsFile;
}

/** Waits for demo.json with ready: true; fails early when the demo exits. */
export async function waitReady(demo: DemoProcess, timeoutMs: number): Promise<DemoState> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (demo.child.exitCode !== null || demo.child.signalCode !== null)
      throw new Error(`trellis demo exited before ready:\n${demo.output()}`);
    const s = readState(demo.dataDir);
    if (s?.ready) return s;
    await sleep(250);
  }
  throw new Error(`trellis demo not ready after ${timeoutMs} ms:\n${demo.output()}`);
}

export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${last}`);
    await sleep(everyMs);
  }
}

export async function kubectl(kubeconfig: string, args: string[]): Promise<string> {
  const { stdout } = await exec('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 });
  return stdout;
}

export const fixture = (name: string) => join(FIXTURES, `${name}.yaml`);

export interface Page {
  status: number;
  body: string;
  ms: number;
  setCookie: string[];
}

/** A plain HTTP request (no keep-alive), e.g. to productpage through its sidecar's inbound port. */
export function http(
  url: string,
  o: { method?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Page> {
  const t0 = performance.now();
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: o.method ?? 'GET',
        headers: o.headers,
        agent: false,
        timeout: o.timeoutMs ?? 20_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            ms: performance.now() - t0,
            setCookie: res.headers['set-cookie'] ?? [],
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Logs in at productpage (POST /login, as Bookinfo's form does) and returns the session cookie. */
export async function loginAs(productpage: string, user: string): Promise<string> {
  const r = await http(`${productpage}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `username=${encodeURIComponent(user)}&passwd=x`,
  });
  const cookie = r.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('session='));
  if (!cookie) throw new Error(`login answered ${r.status} without a session cookie`);
  return cookie;
}

/** "reviews-v2" from "Reviews served by: reviews-v2"; null when the page shows no reviews. */
export function reviewsServedBy(html: string): string | null {
  return /Reviews served by: ([\w-]+)/.exec(html)?.[1] ?? null;
}

export function starColors(html: string): string[] {
  return [...html.matchAll(/data-color="(\w+)"/g)].map((m) => m[1]!);
}

export async function graph(api: string, windowSeconds = 10): Promise<ServiceGraph> {
  const r = await http(`${api}/api/v1/mesh/graph?window=${windowSeconds}s`);
  if (r.status !== 200) throw new Error(`graph answered ${r.status}: ${r.body.slice(0, 300)}`);
  return JSON.parse(r.body) as ServiceGraph;
}

/**
 * productpage's requests to reviews by destination version, as shares of the total (from the
 * graph's edges productpage-v1 → reviews workloads), e.g. { v1: 0.5, v3: 0.5 }.
 */
export function reviewsShares(g: ServiceGraph): Record<string, number> {
  const version = new Map(g.nodes.map((n) => [n.id, n]));
  const rps: Record<string, number> = {};
  for (const e of g.edges) {
    const from = version.get(e.source);
    const to = version.get(e.target);
    if (from?.workload !== 'productpage-v1' || to?.app !== 'reviews' || !to.version) continue;
    rps[to.version] = (rps[to.version] ?? 0) + e.rps;
  }
  const total = Object.values(rps).reduce((a, b) => a + b, 0);
  const shares: Record<string, number> = {};
  for (const [v, r] of Object.entries(rps)) if (total > 0) shares[v] = r / total;
  return shares;
}

/** Processes that carry the demo's data dir in their environment or command line. */
export function processesOf(dataDir: string): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (cmdline === '') continue;
      const env = existsSync(`/proc/${entry}/environ`) ? readFileSync(`/proc/${entry}/environ`, 'utf8') : '';
      if (cmdline.includes(dataDir) || env.split('\0').includes(`TRELLIS_DEMO_DATA_DIR=${dataDir}`))
        out.push({ pid: Number(entry), cmdline });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Last resort in after(): whatever a failed test left behind. */
export function killAllOf(dataDir: string): void {
  for (const p of processesOf(dataDir)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
