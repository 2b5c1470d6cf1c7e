/**
 * Telemetry end-to-end set-up with real processes: `trellis controlplane` (with TRELLIS_*
 * telemetry settings in its environment), `trellis proxy` sidecars with known metrics ports,
 * small upstream apps, a paced load sender and a real Prometheus. Builds on e2e-harness.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnProcess } from '@trellis/testkit';
import { Agent } from 'undici';
import {
  type Proc,
  proxyFlags,
  reservePorts,
  type TestContext,
  TRELLIS,
  tempDir,
  until,
} from './e2e-harness';

export { reservePorts, sleep, type TestContext, tempDir, until };

/** Spawns a process whose output is kept for diagnostics; stopped (SIGTERM, then KILL) by t.after. */
export function spawnProc(
  t: TestContext,
  name: string,
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Proc {
  return spawnProcess(t, name, cmd, args, { env });
}

export interface ControlPlane {
  url: string;
  grpc: string;
  dataDir: string;
  proc: Proc;
}

export async function startControlPlane(t: TestContext, env: Record<string, string>): Promise<ControlPlane> {
  const dataDir = tempDir(t, 'trellis-telemetry-');
  const [http = 0, grpc = 0] = await reservePorts(2);
  const proc = spawnProc(
    t,
    'controlplane',
    process.execPath,
    [TRELLIS, 'controlplane', '--data-dir', dataDir, '--port', String(http), '--grpc-port', String(grpc)],
    env,
  );
  const url = await until(
    'the control plane to be ready',
    () => /^ready (\S+)$/m.exec(proc.output())?.[1],
    30_000,
    100,
    [proc],
  );
  return { url, grpc: `127.0.0.1:${grpc}`, dataDir, proc };
}

export type AppHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** An upstream app on 127.0.0.1; the default handler answers 200 with its name. */
export async function startApp(t: TestContext, name: string, handler?: AppHandler): Promise<number> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      if (handler) handler(req, res, body);
      else {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(name);
      }
    });
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
  inbound: number;
  outbound: number;
  admin: number;
  metrics: number;
  proc: Proc;
}

export async function startSidecar(
  t: TestContext,
  cp: ControlPlane,
  o: { workload: string; app: string; version: string; appPort: number; service?: string },
): Promise<Sidecar> {
  const [inbound = 0, outbound = 0, admin = 0, metrics = 0] = await reservePorts(4);
  const token = join(cp.dataDir, 'join-token');
  const proc = spawnProc(t, o.workload, process.execPath, [
    TRELLIS,
    'proxy',
    ...proxyFlags({
      grpc: cp.grpc,
      workload: o.workload,
      app: o.app,
      version: o.version,
      service: `${o.service ?? o.app}:9080`,
      appPort: o.appPort,
      ports: { inbound, outbound, admin, metrics },
      // The control plane wrote it at start; without it ConfigDiscovery is refused (UNAUTHENTICATED).
      joinTokenFile: token,
    }),
    '--log-level',
    'warn',
  ]);
  try {
    await until(
      `${o.workload} to get its first config`,
      async () => {
        const r = await fetch(`http://127.0.0.1:${admin}/config_dump`);
        return ((await r.json()) as { version: string | null }).version !== null;
      },
      60_000,
      100,
      [proc],
    );
  } catch (err) {
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}\n--- ${o.workload} output:\n${proc.output().slice(-3000)}`,
    );
  }
  return { workload: o.workload, inbound, outbound, admin, metrics, proc };
}

/** Waits until every sidecar's config knows `host` (the registry has propagated). */
export async function untilRoutable(sidecar: Sidecar, host: string): Promise<void> {
  await until(`${sidecar.workload} to route ${host}`, async () => {
    const r = await fetch(`http://127.0.0.1:${sidecar.admin}/config_dump`);
    const dump = (await r.json()) as {
      config: { outbound: { clusters: { service: string; endpoints: unknown[] }[] } } | null;
    };
    return dump.config?.outbound.clusters.some((c) => c.service === host && c.endpoints.length > 0) === true;
  });
}

export function newAgent(t: TestContext): Agent {
  const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
  t.after(() => agent.close());
  return agent;
}

export interface Sent {
  status: number;
  body: string;
}

/** One request through a sidecar's outbound listener, absolute-form (HTTP_PROXY style). */
export async function viaOutbound(
  agent: Agent,
  outbound: number,
  url: string,
  headers: Record<string, string> = {},
): Promise<Sent> {
  try {
    const host = new URL(url).host;
    const r = await agent.request({
      origin: `http://127.0.0.1:${outbound}`,
      path: url,
      method: 'GET',
      headers: { host, ...headers },
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    return { status: r.statusCode, body: await r.body.text() };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}

/** One request straight to a sidecar's inbound listener (origin-form), as a caller outside the mesh. */
export async function viaInbound(agent: Agent, inbound: number, host: string, path: string): Promise<Sent> {
  try {
    const r = await agent.request({
      origin: `http://127.0.0.1:${inbound}`,
      path,
      method: 'GET',
      headers: { host },
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    return { status: r.statusCode, body: await r.body.text() };
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}

/**
 * Sends at a steady rate for a while (open loop, at most `maxInFlight` outstanding so a slow
 * machine sheds load instead of piling it up). Returns how many were sent and their statuses.
 */
export async function paced(
  rps: number,
  seconds: number,
  send: (i: number) => Promise<Sent>,
  maxInFlight = 64,
): Promise<{ sent: number; statuses: Map<number, number> }> {
  const statuses = new Map<number, number>();
  const total = Math.round(rps * seconds);
  const start = performance.now();
  let inFlight = 0;
  let sent = 0;
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (inFlight >= maxInFlight) continue;
    inFlight++;
    sent++;
    const p = send(i).then((r) => {
      inFlight--;
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }
  await Promise.all(pending);
  return { sent, statuses };
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return { status: r.status, body: (await r.json()) as T };
}

export interface Prometheus {
  url: string;
  proc: Proc;
  query(
    q: string,
    timeSeconds?: number,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

export const PROMETHEUS_BIN = '/usr/bin/prometheus';

/** A real Prometheus on loopback that finds the sidecars through the control plane's HTTP SD. */
export async function startPrometheus(t: TestContext, sdUrl: string, scrapeSeconds = 1): Promise<Prometheus> {
  const dir = tempDir(t, 'trellis-prometheus-');
  const [port = 0] = await reservePorts(1);
  const config = `global:
  scrape_interval: ${scrapeSeconds}s
  evaluation_interval: ${scrapeSeconds}s
scrape_configs:
  - job_name: trellis-sidecars
    http_sd_configs:
      - url: ${sdUrl}
        refresh_interval: 2s
`;
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const proc = spawnProc(t, 'prometheus', PROMETHEUS_BIN, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=1h',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await until('Prometheus to be ready', async () => (await fetch(`${url}/-/ready`)).ok, 30_000, 100, [proc]);
  return {
    url,
    proc,
    async query(q, timeSeconds) {
      const params = new URLSearchParams({ query: q });
      if (timeSeconds !== undefined) params.set('time', String(timeSeconds));
      const r = await fetch(`${url}/api/v1/query?${params}`, { signal: AbortSignal.timeout(15_000) });
      const body = (await r.json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`PromQL failed: ${body.error} (${q})`);
      return body.data.result;
    },
  };
}
