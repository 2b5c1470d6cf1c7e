/**
 * startControlPlane: opens the store, serves the HTTP API on one port, starts the components, and
 * writes DIR/kubeconfig. It is the one place that wires the control plane together.
 *
 * Components are how the rest of the control plane plugs in (the gRPC config push and its
 * registry, the CA, telemetry, the console API). Each gets the store, the router (to add HTTP
 * routes on the shared port) and the options, after the HTTP server is listening and before the
 * control plane reports ready; they are stopped in reverse order on shutdown:
 *
 *   const xds: ControlPlaneComponent = {
 *     name: 'xds',
 *     async start({ store, router, options, setAnalysisSource }) {
 *       const server = await startGrpc(options.grpcPort, store);
 *       setAnalysisSource({ registry: () => server.registry(), settings: () => DEFAULT_SETTINGS });
 *       router.get('/api/v1/mesh/proxies', ({ res }) => sendJson(res, 200, server.proxies()));
 *       return { stop: () => server.close() };
 *     },
 *   };
 *   await startControlPlane({ dataDir, port, grpcPort, components: [xds] });
 *
 * The `trellis controlplane` command starts DEFAULT_COMPONENTS (./components).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerCore } from './api/core';
import { registerDiscovery } from './api/discovery';
import { registerHistory } from './api/history';
import { writeKubeconfig } from './api/kubeconfig';
import { registerOpenApi } from './api/openapi';
import { registerResources } from './api/resources';
import { Router } from './api/router';
import { WatchRegistry } from './api/watch';
import { type AnalysisSource, EMPTY_ANALYSIS_SOURCE, type Validator } from './store/checks';
import { SqliteResourceStore } from './store/sqlite-store';
import type { ResourceStore } from './store/types';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const stderrLogger: Logger = {
  info: (m) => process.stderr.write(`trellis controlplane: ${m}\n`),
  warn: (m) => process.stderr.write(`trellis controlplane: warning: ${m}\n`),
  error: (m) => process.stderr.write(`trellis controlplane: error: ${m}\n`),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export interface ControlPlaneOptions {
  /** Where the store, kubeconfig, CA keys and join token live. Created if missing. */
  dataDir: string;
  /** The HTTP port (Kubernetes-style API, console API, health); 0 lets the OS pick. */
  port: number;
  /** The address to bind; loopback unless asked otherwise. */
  host?: string;
  /** The gRPC port (ConfigDiscovery, Certificates) for the component that serves it. */
  grpcPort?: number;
  components?: readonly ControlPlaneComponent[];
  log?: Logger;
  /** Log every HTTP request (method, path, status) at info level. */
  logRequests?: boolean;
  /** How often watches that allow bookmarks get one, in ms. */
  bookmarkIntervalMs?: number;
  /** Replaces validateResource (tests that exercise the store without the schemas). */
  validate?: Validator;
}

export interface ComponentContext {
  store: ResourceStore;
  router: Router;
  dataDir: string;
  options: Readonly<ControlPlaneOptions>;
  /** The HTTP API's base URL, e.g. "http://127.0.0.1:15080". */
  httpUrl: string;
  log: Logger;
  /** Lets write-time analysis (the warnings on kubectl apply) see the live registry. */
  setAnalysisSource(source: AnalysisSource): void;
}

export interface StartedComponent {
  stop(): void | Promise<void>;
}

export interface ControlPlaneComponent {
  name: string;
  start(ctx: ComponentContext): Promise<StartedComponent | undefined> | StartedComponent | undefined;
}

export interface ControlPlane {
  /** e.g. "http://127.0.0.1:15080" (127.0.0.1 even when bound to all addresses). */
  url: string;
  port: number;
  kubeconfigPath: string;
  store: ResourceStore;
  router: Router;
  /** Stops components (reverse order), ends watches, closes the HTTP server and the store. */
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const log = options.log ?? stderrLogger;
  const host = options.host ?? '127.0.0.1';
  let analysis: AnalysisSource = EMPTY_ANALYSIS_SOURCE;
  const store = SqliteResourceStore.open({
    dataDir: options.dataDir,
    analysis: { registry: () => analysis.registry(), settings: () => analysis.settings() },
    ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
    ...(options.validate ? { validate: options.validate } : {}),
  });

  let ready = false;
  const watches = new WatchRegistry();
  const router = new Router({
    onError: (err, req) =>
      log.error(
        `${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      ),
  });
  const health =
    (when: () => boolean) =>
    ({ res }: { res: ServerResponse }) => {
      const ok = when();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(ok ? 'ok' : 'not ready');
    };
  router.get(
    '/healthz',
    health(() => true),
  );
  router.get(
    '/livez',
    health(() => true),
  );
  router.get(
    '/readyz',
    health(() => ready),
  );
  registerDiscovery(router);
  registerOpenApi(router);
  registerCore(router, store, new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  registerResources(router, { store, watches });
  registerHistory(router, store);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (options.logRequests)
      res.on('finish', () =>
        log.info(
          `${req.method} ${req.url} ${res.statusCode} accept=${req.headers.accept ?? ''} content-type=${req.headers['content-type'] ?? ''}`,
        ),
      );
    void router.handle(req, res);
  });
  // Watches are long-lived; only idle keep-alive sockets should time out.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;

  const started: { name: string; handle: StartedComponent }[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      ready = false;
      for (const { name, handle } of started.reverse()) {
        try {
          await handle.stop();
        } catch (err) {
          log.error(`stopping ${name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      watches.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await store.close();
    })();
    return stopping;
  };

  try {
    const port = await listen(server, options.port, host);
    const url = `http://${urlHost(host)}:${port}`;
    const ctx: ComponentContext = {
      store,
      router,
      dataDir: options.dataDir,
      options,
      httpUrl: url,
      log,
      setAnalysisSource: (source) => {
        analysis = source;
      },
    };
    for (const component of options.components ?? []) {
      const handle = await component.start(ctx);
      if (handle) started.push({ name: component.name, handle });
    }
    const kubeconfigPath = writeKubeconfig(options.dataDir, url);
    ready = true;
    return { url, port, kubeconfigPath, store, router, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
