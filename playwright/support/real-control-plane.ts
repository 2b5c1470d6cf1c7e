/**
 * A real `trellis controlplane` (fresh temp data dir, its own ports) and consoles in front of it,
 * for browser tests that WRITE: what a page applies must land in the control plane's store, so
 * tests read it back through the control plane's API (`api.get`, `api.history`).
 *
 * Observed traffic needs running sidecars, which these tests do not start. A test that needs
 * numbers in the graph passes `graph`: the consoles then talk to a thin overlay that answers
 * GET /api/v1/mesh/graph from that function (typed against ServiceGraph) and pipes every other
 * request, writes included, unchanged to the real control plane. The overlay is a named test
 * double for the graph only; every stored object and history entry is the real control plane's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryList } from '@trellis/shared/history-api';
import type { ServiceGraph } from '@trellis/shared/telemetry-api';
import { proxyFlags } from '@trellis/testkit';
import { CONSOLE_DIR, freePort, type Proc, ROOT, start, waitForHttp } from './processes';

const TRELLIS = join(ROOT, 'apps/cli/bin/trellis.mjs');
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');

/** A stored object as the control plane answers it (enough for assertions). */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion: string; [k: string]: unknown };
  spec: Record<string, unknown>;
}

/** The control plane's Kubernetes-style API, as a test reads and writes it directly. */
export interface ApiClient {
  url: string;
  /** GET; null on 404. */
  get(path: string): Promise<StoredObject | null>;
  /** Any write; returns status and JSON body. `actor` goes out as Impersonate-User. */
  send(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    opts?: { actor?: string; contentType?: string },
  ): Promise<{ status: number; body: unknown }>;
  /** GET /api/v1/mesh/history for one object, newest first. */
  history(kind: string, namespace: string, name: string): Promise<HistoryList>;
}

export interface RealControlPlane {
  api: ApiClient;
  dataDir: string;
  /** The control plane's gRPC address (HOST:PORT), for `trellis proxy --control-plane`. */
  grpc: string;
  /** Starts a console in front of the control plane (or of the graph overlay) with extra env. */
  startConsole(env?: NodeJS.ProcessEnv): Promise<string>;
  /** Writes a file into the temp dir (e.g. a users file) and returns its path. */
  writeFile(name: string, text: string): string;
  stop(): Promise<void>;
}

export const VS_PATH = (ns: string, name = '') =>
  `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices${name ? `/${name}` : ''}`;
export const DR_PATH = (ns: string, name = '') =>
  `/apis/networking.istio.io/v1/namespaces/${ns}/destinationrules${name ? `/${name}` : ''}`;
export const PA_PATH = (ns: string, name = '') =>
  `/apis/security.istio.io/v1/namespaces/${ns}/peerauthentications${name ? `/${name}` : ''}`;

function apiClient(url: string): ApiClient {
  return {
    url,
    async get(path) {
      const res = await fetch(`${url}${path}`, { headers: { accept: 'application/json' } });
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as StoredObject;
    },
    async send(method, path, body, opts = {}) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          'content-type': opts.contentType ?? 'application/json',
          ...(opts.actor ? { 'impersonate-user': opts.actor } : {}),
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    async history(kind, namespace, name) {
      const q = new URLSearchParams({ kind, namespace, name });
      const res = await fetch(`${url}/api/v1/mesh/history?${q}`, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`GET history: ${res.status} ${await res.text()}`);
      return (await res.json()) as HistoryList;
    },
  };
}

/** Pipes everything to `target` except GET /api/v1/mesh/graph, answered from `graph()`. */
async function startGraphOverlay(
  target: string,
  graph: () => ServiceGraph,
): Promise<{ url: string; server: Server }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    if (req.method === 'GET' && url.pathname === '/api/v1/mesh/graph') {
      const body = JSON.stringify(graph());
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', (err) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`overlay: ${err.message}`);
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function startConsoleProc(
  apiUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; proc: Proc }> {
  const port = await freePort();
  const proc = start(
    'console',
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: CONSOLE_DIR,
      env: { TRELLIS_API_URL: apiUrl, ...env },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  // /api/me answers in every auth mode (it is outside the sign-in gate).
  if (!(await waitForHttp(proc, `${url}/api/me`, 60_000))) {
    await proc.stop();
    throw new Error(`the console did not start:\n${proc.output()}`);
  }
  return { url, proc };
}

export async function startRealControlPlane(
  opts: { graph?: () => ServiceGraph } = {},
): Promise<RealControlPlane> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-pw-real-'));
  const procs: Proc[] = [];
  let overlay: Server | null = null;
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    if (overlay) {
      const s = overlay;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const [port, grpcPort] = [await freePort(), await freePort()];
    const cp = start(
      'controlplane',
      process.execPath,
      [
        TRELLIS,
        'controlplane',
        '--data-dir',
        dataDir,
        '--port',
        String(port),
        '--grpc-port',
        String(grpcPort),
      ],
      {},
    );
    procs.push(cp);
    const apiUrl = `http://127.0.0.1:${port}`;
    // /readyz answers 503 until every component has started; waitForHttp waits for < 500.
    if (!(await waitForHttp(cp, `${apiUrl}/readyz`, 90_000)))
      throw new Error(`the control plane did not become ready:\n${cp.output()}`);
    let consoleTarget = apiUrl;
    if (opts.graph) {
      const o = await startGraphOverlay(apiUrl, opts.graph);
      overlay = o.server;
      consoleTarget = o.url;
    }
    return {
      api: apiClient(apiUrl),
      dataDir,
      grpc: `127.0.0.1:${grpcPort}`,
      async startConsole(env = {}) {
        const c = await startConsoleProc(consoleTarget, env);
        procs.push(c.proc);
        return c.url;
      },
      writeFile(name, text) {
        const path = join(dataDir, name);
        writeFileSync(path, text, { mode: 0o600 });
        return path;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A real `trellis proxy` for reviews at `version` in front of `appPort`, as the demo runs one. */
export async function startReviewsSidecar(
  cp: RealControlPlane,
  version: string,
  appPort: number,
): Promise<Proc> {
  const [inbound, outbound, admin, metrics] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  return start(
    `reviews-${version}`,
    process.execPath,
    [
      TRELLIS,
      'proxy',
      ...proxyFlags({
        grpc: cp.grpc,
        workload: `reviews-${version}`,
        app: 'reviews',
        version,
        service: 'reviews:9080',
        appPort,
        ports: { inbound, outbound, admin, metrics },
        // The control plane wrote it at start; without it ConfigDiscovery is refused.
        joinTokenFile: join(cp.dataDir, 'join-token'),
      }),
    ],
    {},
  );
}
