/**
 * Test harness for the data plane: upstream apps on 127.0.0.1, sidecars (in-process, every port
 * picked by the OS), a bounded load sender and a tally. A sidecar's config comes either from a
 * static ProxyConfig or from a control plane (pass `controlPlane: "host:grpcPort"`), so the same
 * scenarios run against translate + push once the control plane serves them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cluster, ClusterEndpoint, ProxyConfig, Route, VirtualHost } from '@trellis/shared';
import { Agent, request } from 'undici';
import { Logger } from '../src/logger';
import { type ProxyHandle, type ProxyOptions, startProxy } from '../src/main';
import type { RequestRecord } from '../src/telemetry/record';

export interface App {
  name: string;
  version: string;
  port: number;
  hits: number;
  /** Headers of the last request the app saw. */
  last: http.IncomingHttpHeaders | null;
  /** Replace the behaviour (default: 200 JSON {app, version, path}). */
  handler: ((req: http.IncomingMessage, res: http.ServerResponse, app: App) => void) | null;
  close(): Promise<void>;
}

export function defaultReply(req: http.IncomingMessage, res: http.ServerResponse, app: App): void {
  const body = JSON.stringify({ app: app.name, version: app.version, path: req.url, host: req.headers.host });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startApp(name: string, version = 'v1', handler: App['handler'] = null): Promise<App> {
  const app: App = { name, version, port: 0, hits: 0, last: null, handler, close: async () => undefined };
  const server = http.createServer((req, res) => {
    app.hits++;
    app.last = req.headers;
    req.resume();
    req.on('end', () => (app.handler ?? defaultReply)(req, res, app));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app.port = (server.address() as AddressInfo).port;
  app.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return app;
}

export interface SidecarOptions extends Partial<ProxyOptions> {
  workload: string;
  appPort: number;
  /** Static config (ProxyConfig or a function of the sidecar's own ports). */
  config?: ProxyConfig;
  /** Or: the control plane's gRPC address; the sidecar then waits for its push. */
  controlPlane?: string;
}

export interface Sidecar extends ProxyHandle {
  records: RequestRecord[];
  /** Base URL of the outbound listener. */
  outbound: string;
  inboundAddress: string;
}

export async function startSidecar(o: SidecarOptions): Promise<Sidecar> {
  const records: RequestRecord[] = [];
  const h = await startProxy({
    namespace: 'default',
    serviceAccount: o.workload,
    labels: { app: o.workload.split('-')[0]!, version: 'v1' },
    services: [],
    inboundPort: 0,
    outboundPort: 0,
    adminPort: 0,
    metricsPort: 0,
    logger: new Logger('error'),
    accessLog: () => undefined,
    ...o,
    sinks: [...(o.sinks ?? []), { record: (r) => void records.push(r) }],
  });
  return Object.assign(h, {
    records,
    outbound: `http://127.0.0.1:${h.ports.outbound}`,
    inboundAddress: `127.0.0.1:${h.ports.inbound}`,
  });
}

// ---- ProxyConfig builders (what translate would produce) ----

export function endpoint(
  port: number,
  version = 'v1',
  workload = 'app',
  host = '127.0.0.1',
): ClusterEndpoint {
  return {
    host,
    port,
    workload: `${workload}-${version}`,
    namespace: 'default',
    labels: { app: workload, version },
    tlsMode: 'DISABLE',
  };
}

export function cluster(
  service: string,
  port: number,
  endpoints: ClusterEndpoint[],
  extra: Partial<Cluster> = {},
): Cluster {
  const fq = `${service}.default.svc.cluster.local`;
  return {
    name: `outbound|${port}|${extra.subset ?? ''}|${fq}`,
    service: fq,
    port,
    protocol: 'HTTP',
    lb: 'ROUND_ROBIN',
    endpoints,
    connectionPool: {},
    ...extra,
  };
}

export function vhost(service: string, port: number, routes: Route[]): VirtualHost {
  const fq = `${service}.default.svc.cluster.local`;
  return { name: `${fq}:${port}`, domains: [fq], port, routes };
}

export function forward(
  name: string,
  clusters: [string, number][],
  extra: Partial<Extract<Route['action'], { type: 'forward' }>> = {},
  matches: Route['matches'] = [],
): Route {
  return {
    name,
    matches,
    action: {
      type: 'forward',
      destinations: clusters.map(([cluster, weight]) => ({ cluster, weight })),
      ...extra,
    },
  };
}

export function proxyConfig(
  version: string,
  virtualHosts: VirtualHost[],
  clusters: Cluster[],
  appPort = 1,
): ProxyConfig {
  return {
    version,
    outbound: { virtualHosts, clusters },
    inbound: {
      appHost: '127.0.0.1',
      appPort,
      mtls: { mode: 'PERMISSIVE', portLevel: {} },
      authorization: [],
    },
    telemetry: { accessLog: false, tracing: { samplingPercent: 0 } },
  };
}

// ---- load ----

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  ms: number;
}

export interface Tally {
  total: number;
  byStatus: Map<number, number>;
  /** Counts by a key taken from each reply (e.g. the answering version). */
  byKey: Map<string, number>;
  replies: Reply[];
}

const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });

/** One request through a sidecar's outbound listener, transparent mode (origin-form, Host). */
export async function get(
  proxy: string,
  host: string,
  path = '/',
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<Reply> {
  const t0 = performance.now();
  const r = await request(`${proxy}${path}`, {
    method: method as 'GET',
    headers: { host, ...headers },
    body,
    dispatcher: agent,
  });
  const text = await r.body.text();
  return { status: r.statusCode, body: text, headers: r.headers, ms: performance.now() - t0 };
}

/** N requests with bounded concurrency; `key` labels each reply for the tally. */
export async function load(
  n: number,
  concurrency: number,
  send: (i: number) => Promise<Reply>,
  key: (r: Reply) => string = (r) => String(r.status),
): Promise<Tally> {
  const t: Tally = { total: 0, byStatus: new Map(), byKey: new Map(), replies: [] };
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      let r: Reply;
      try {
        r = await send(i);
      } catch (err) {
        r = { status: 0, body: String(err), headers: {}, ms: 0 };
      }
      t.total++;
      t.byStatus.set(r.status, (t.byStatus.get(r.status) ?? 0) + 1);
      const k = key(r);
      t.byKey.set(k, (t.byKey.get(k) ?? 0) + 1);
      t.replies.push(r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return t;
}

export function versionOf(r: Reply): string {
  try {
    return (JSON.parse(r.body) as { version?: string }).version ?? `status ${r.status}`;
  } catch {
    return `status ${r.status}`;
  }
}

export async function adminText(s: ProxyHandle, path: string): Promise<{ status: number; body: string }> {
  const r = await request(`http://127.0.0.1:${s.ports.admin}${path}`);
  return { status: r.statusCode, body: await r.body.text() };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
