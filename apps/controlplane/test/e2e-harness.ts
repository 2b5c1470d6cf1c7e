/**
 * End-to-end set-up with real processes: `trellis controlplane`, `trellis proxy` sidecars, tiny
 * upstream apps that answer with their version, kubectl against the control plane, and a client
 * that sends requests through a sidecar's outbound listener (HTTP_PROXY style, absolute-form).
 * Ports handed to child processes come from @trellis/testkit (claimed outside the ephemeral range);
 * waits for a child give up as soon as it exits. Every process and temp dir is cleaned up by t.after.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ProxyConfig } from '@trellis/shared';
import {
  type Proc,
  proxyFlags,
  reservePorts,
  spawnProcess,
  type TestContext,
  waitUntil,
} from '@trellis/testkit';

export type { Proc, TestContext };
export { reservePorts };

const exec = promisify(execFile);
export const TRELLIS = new URL('../../cli/bin/trellis.mjs', import.meta.url).pathname;
export const REVIEWS = 'reviews.default.svc.cluster.local';

/** A TestContext for suite-level set-up (before/after hooks): run() the cleanups in after(). */
export function suiteContext(): TestContext & { run(): Promise<void> } {
  const cleanups: (() => void | Promise<void>)[] = [];
  return {
    after: (fn) => {
      cleanups.push(fn);
    },
    diagnostic: (message) => process.stderr.write(`${message}\n`),
    async run() {
      for (const fn of cleanups.reverse()) await fn();
    },
  };
}

export function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function spawnTrellis(t: TestContext, name: string, args: string[]): Proc {
  return spawnProcess(t, name, process.execPath, [TRELLIS, ...args]);
}

/** Polls `check` (errors count as "not yet"); with `procs`, gives up as soon as one has exited. */
export function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 100,
  procs: Proc[] = [],
): Promise<T> {
  return waitUntil(what, check, { timeoutMs, everyMs, procs });
}

export interface ControlPlane {
  url: string;
  grpc: string;
  dataDir: string;
  kubeconfig: string;
  proc: Proc;
}

export async function startControlPlane(
  t: TestContext,
  dataDir: string,
  ports?: { http: number; grpc: number },
): Promise<ControlPlane> {
  const [http, grpc] = ports ? [ports.http, ports.grpc] : await reservePorts(2);
  const proc = spawnTrellis(t, 'controlplane', [
    'controlplane',
    '--data-dir',
    dataDir,
    '--port',
    String(http),
    '--grpc-port',
    String(grpc),
  ]);
  const url = await until(
    'the control plane to be ready',
    () => /^ready (\S+)$/m.exec(proc.output())?.[1],
    90_000,
    100,
    [proc],
  );
  return { url, grpc: `127.0.0.1:${grpc}`, dataDir, kubeconfig: join(dataDir, 'kubeconfig'), proc };
}

/** A tiny app: answers every request with its version (and 200). */
export async function startUpstream(t: TestContext, version: string): Promise<number> {
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(version);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return (server.address() as { port: number }).port;
}

export interface Sidecar {
  workload: string;
  admin: number;
  outbound: number;
  inbound: number;
  proc: Proc;
}

/** Kept here too: the e2e tests import their helpers from this harness. */
export { proxyFlags };

export async function startSidecar(
  t: TestContext,
  cp: ControlPlane,
  o: { workload: string; app: string; version: string; appPort: number; port?: number },
): Promise<Sidecar> {
  const [inbound = 0, outbound = 0, admin = 0, metrics = 0] = await reservePorts(4);
  const token = join(cp.dataDir, 'join-token');
  const proc = spawnTrellis(t, o.workload, [
    'proxy',
    ...proxyFlags({
      grpc: cp.grpc,
      workload: o.workload,
      app: o.app,
      version: o.version,
      service: `${o.app}:${o.port ?? 9080}`,
      appPort: o.appPort,
      ports: { inbound, outbound, admin, metrics },
      // The control plane wrote it at start; without it ConfigDiscovery is refused (UNAUTHENTICATED).
      joinTokenFile: token,
    }),
  ]);
  await until(
    `${o.workload} to get its first config`,
    async () => (await configDump(admin)).version !== null,
    90_000,
    100,
    [proc],
  );
  return { workload: o.workload, admin, outbound, inbound, proc };
}

export async function configDump(
  admin: number,
): Promise<{ version: string | null; config: ProxyConfig | null }> {
  const res = await fetch(`http://127.0.0.1:${admin}/config_dump`);
  return (await res.json()) as { version: string | null; config: ProxyConfig | null };
}

/** The weights the sidecar currently applies to the reviews route, e.g. {v1: 90, v2: 10}. */
export async function reviewsWeights(admin: number): Promise<Record<string, number>> {
  const { config } = await configDump(admin);
  const route = config?.outbound.virtualHosts.find((v) => v.name === `${REVIEWS}:9080`)?.routes[0];
  const out: Record<string, number> = {};
  if (route?.action.type !== 'forward') return out;
  for (const d of route.action.destinations) out[d.cluster.split('|')[2] || 'all'] = d.weight;
  return out;
}

export async function kubectl(cp: ControlPlane, args: string[], stdin?: string): Promise<string> {
  let file: string | undefined;
  if (stdin !== undefined) {
    file = join(cp.dataDir, `manifest-${Date.now()}-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stdin);
  }
  const { stdout } = await exec(
    'kubectl',
    ['--kubeconfig', cp.kubeconfig, ...args, ...(file ? ['-f', file] : [])],
    {
      timeout: 30_000,
    },
  );
  if (file) rmSync(file, { force: true });
  return stdout;
}

export function splitManifest(v1: number, v2: number): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: default }
spec:
  host: reviews
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - route:
    - { destination: { host: reviews, subset: v1 }, weight: ${v1} }
    - { destination: { host: reviews, subset: v2 }, weight: ${v2} }
`;
}

export interface Reply {
  status: number;
  body: string;
  startedAt: number;
}

/** One request to reviews through the sidecar's outbound listener, as an app with HTTP_PROXY sends it. */
export function viaSidecar(outbound: number, agent: Agent, path = '/'): Promise<Reply> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: outbound,
        path: `http://${REVIEWS}:9080${path}`,
        headers: { host: `${REVIEWS}:9080` },
        agent,
        timeout: 10_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, startedAt }));
        res.on('error', () => resolve({ status: 0, body: '', startedAt }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: String(e), startedAt }));
    req.end();
  });
}

export function newAgent(t: TestContext): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  t.after(() => agent.destroy());
  return agent;
}

/** `count` requests with `concurrency` in flight. */
export async function load(
  outbound: number,
  agent: Agent,
  count: number,
  concurrency: number,
): Promise<Reply[]> {
  const replies: Reply[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        replies.push(await viaSidecar(outbound, agent));
      }
    }),
  );
  return replies;
}

export function tally(replies: Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const key = r.status === 200 ? r.body : `status ${r.status}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export interface StatusRow {
  name: string;
  namespace: string;
  state: string;
  version: string;
  error: string;
}

/** Runs `trellis status --server URL` and parses its table. */
export async function trellisStatus(
  url: string,
): Promise<{ code: number; rows: StatusRow[]; stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, [TRELLIS, 'status', '--server', url], {
      timeout: 20_000,
    });
    const lines = stdout.trimEnd().split('\n');
    const header = lines[0] ?? '';
    const errorAt = header.indexOf('ERROR');
    const rows = lines.slice(1).map((line) => {
      const [name = '', namespace = '', state = '', version = ''] = line.split(/\s+/);
      return { name, namespace, state, version, error: errorAt >= 0 ? line.slice(errorAt).trim() : '' };
    });
    return { code: 0, rows, stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, rows: [], stdout: e.stdout ?? '' };
  }
}

/** A reviews deployment (v1 and v2 apps and sidecars) and a productpage sidecar to send from. */
export async function bookinfoReviews(t: TestContext, cp: ControlPlane) {
  const [v1App, v2App, ppApp] = await Promise.all([
    startUpstream(t, 'v1'),
    startUpstream(t, 'v2'),
    startUpstream(t, 'productpage'),
  ]);
  const [v1, v2, pp] = await Promise.all([
    startSidecar(t, cp, { workload: 'reviews-v1', app: 'reviews', version: 'v1', appPort: v1App }),
    startSidecar(t, cp, { workload: 'reviews-v2', app: 'reviews', version: 'v2', appPort: v2App }),
    startSidecar(t, cp, { workload: 'productpage-v1', app: 'productpage', version: 'v1', appPort: ppApp }),
  ]);
  return { v1, v2, pp };
}
