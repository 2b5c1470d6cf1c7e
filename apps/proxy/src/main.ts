/**
 * Wires one sidecar: config store, listeners (outbound, inbound, admin, metrics) and the config
 * source (the control plane's ConfigDiscovery stream, or a static file like Envoy's static
 * bootstrap). `startProxy` returns once every port is listening.
 */
import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { authorizationLayer, pathNormalizationLayer } from './authz/layer';
import { ConfigStore } from './config/store';
import type { Layer } from './layers/types';
import { startAdmin } from './listeners/admin';
import { startInbound } from './listeners/inbound';
import { type MetricsHandler, startMetrics } from './listeners/metrics';
import { startOutbound } from './listeners/outbound';
import type { SelfInfo } from './listeners/report';
import type { TransportSecurity } from './listeners/transport';
import { Logger } from './logger';
import { Stats } from './stats';
import { IstioMetrics } from './telemetry/metrics';
import type { RequestSink } from './telemetry/record';
import { Tracing, type TracingOptions } from './telemetry/tracing';
import type { CertificateManager } from './tls/certificate-manager';
import { inboundMtlsMode, joinTokenManager, SidecarTls } from './tls/sidecar';
import { MeshInboundSecurity } from './tls/transport';
import { XdsClient } from './xds-client';

export const PROXY_VERSION = '0.1.0';

export interface ProxyOptions {
  workload: string;
  namespace: string;
  serviceAccount: string;
  labels: Record<string, string>;
  services: { name: string; port: number }[];
  appPort: number;
  /** Where the app listens; 127.0.0.1 on one machine and in a pod. */
  appHost?: string;
  /** 0 picks a free port (tests). */
  inboundPort: number;
  outboundPort: number;
  adminPort: number;
  metricsPort: number;
  /** Address the inbound/outbound/metrics listeners bind; admin is always 127.0.0.1. */
  bindHost?: string;
  /** host:port peers use to reach the inbound listener; default bindHost:inboundPort. */
  inboundAddress?: string;
  /** host:port of the control plane's gRPC port. */
  controlPlane?: string;
  /**
   * The CA credential (embedded mode): with a control plane, the proxy makes its key and CSR,
   * gets a certificate, then speaks mTLS to peers and to the control plane.
   */
  joinTokenFile?: string;
  /** A mesh identity made elsewhere (tests); takes the place of joinTokenFile. */
  certificates?: CertificateManager;
  /** Static config instead of (or before) the control plane: a ProxyConfig JSON file. */
  configFile?: string;
  /** Static config as a value (tests, benchmarks). */
  config?: unknown;
  sinks?: RequestSink[];
  metrics?: { registry?: Registry; handler?: MetricsHandler };
  /**
   * Istio metrics on the metrics port and tracing as the pushed config says (default on);
   * false leaves both out (benchmarks of the bare request path).
   */
  telemetry?: false | { exportDelayMs?: number; exporter?: TracingOptions['exporter'] };
  /** Replaces the mesh transport (STRICT / PERMISSIVE / DISABLE from the pushed config). */
  inboundSecurity?: TransportSecurity;
  /** Layers after path normalisation and AuthorizationPolicy, before the app. */
  inboundPolicy?: Layer[];
  logger?: Logger;
  accessLog?: (line: string) => void;
}

export interface ProxyHandle {
  ports: { inbound: number; outbound: number; admin: number; metrics: number };
  store: ConfigStore;
  stats: Stats;
  logger: Logger;
  /** Apply a config (the same entry point the control-plane stream uses). */
  applyConfig: ConfigStore['applyConfig'];
  xds: XdsClient | null;
  /** The mesh identity (null without one: plaintext everywhere). */
  tls: SidecarTls | null;
  /** Stop accepting, drain requests in flight (up to drainMs), release everything. */
  close(drainMs?: number): Promise<void>;
  /** Requests being answered now, per listener. */
  inflight(): { inbound: number; outbound: number };
  /** Settles once close() has finished (also when triggered by POST /quitquitquit). */
  closed: Promise<void>;
}

export async function startProxy(o: ProxyOptions): Promise<ProxyHandle> {
  const logger = o.logger ?? new Logger('info');
  const bind = o.bindHost ?? '127.0.0.1';
  const store = new ConfigStore(o.namespace);
  store.bootstrap(o.appHost ?? '127.0.0.1', o.appPort);
  const stats = new Stats();
  const sinks = [...(o.sinks ?? [])];
  // One registry per proxy: several sidecars in one process (tests) must not share series.
  const registry = o.metrics?.registry ?? new Registry();
  // The sidecar's own health beside the mesh metrics, as Envoy's server.* stats and Linkerd's
  // process_* metrics: memory, CPU, event-loop lag (what the request path waits for) and GC pauses.
  // Collected at scrape time; the control plane's built-in backend stores only istio_* families.
  if (!o.metrics?.registry) collectDefaultMetrics({ register: registry });
  let tracing: Tracing | undefined;
  const self: SelfInfo = {
    peer: {
      workload: o.workload,
      namespace: o.namespace,
      principal: 'unknown',
      version: o.labels.version ?? 'unknown',
      app: o.labels.app ?? o.workload,
    },
    namespace: o.namespace,
    services: o.services,
  };
  if (o.telemetry !== false) {
    sinks.push(new IstioMetrics({ registry }));
    tracing = new Tracing({
      self: self.peer,
      exportDelayMs: o.telemetry?.exportDelayMs,
      exporter: o.telemetry?.exporter,
    });
  }

  const manager =
    o.certificates ??
    (o.joinTokenFile && o.controlPlane
      ? joinTokenManager({
          controlPlane: o.controlPlane,
          joinTokenFile: o.joinTokenFile,
          namespace: o.namespace,
          serviceAccount: o.serviceAccount,
        })
      : undefined);
  if (o.joinTokenFile && !o.controlPlane)
    logger.warn('--join-token-file without --control-plane: no CA to ask, mTLS stays off');
  const tls = manager ? new SidecarTls({ manager, store, self: self.peer, logger, stats }) : null;
  if (tls) store.states.tls.client = tls.client;
  // Without a mesh identity the transport still enforces STRICT (it refuses plaintext).
  const meshInbound = o.inboundSecurity
    ? null
    : (tls?.inbound ??
      new MeshInboundSecurity(
        () => inboundMtlsMode(store),
        () => null,
      ));
  if (meshInbound) store.onApplied(() => meshInbound.enforce());

  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const s of started.reverse()) await s.close().catch(() => undefined);
  };
  try {
    const outbound = await startOutbound({
      host: bind,
      port: o.outboundPort,
      store,
      self,
      sinks,
      stats,
      logger,
      accessLog: o.accessLog,
      tracing,
    });
    started.push(outbound);
    const inbound = await startInbound({
      host: bind,
      port: o.inboundPort,
      store,
      self,
      sinks,
      stats,
      logger,
      security: o.inboundSecurity ?? meshInbound ?? undefined,
      // biome-ignore format: one layer a line
      policy: [
        pathNormalizationLayer,                  // Envoy's normalize_path: the policy and the app judge the same path
        authorizationLayer({ servicePorts: o.services.map((s) => s.port), stats }),
        ...(o.inboundPolicy ?? []),
      ],
      accessLog: o.accessLog,
      tracing,
    });
    started.push(inbound);
    const identity = {
      workload: o.workload,
      namespace: o.namespace,
      serviceAccount: o.serviceAccount,
      labels: o.labels,
      services: o.services,
      appPort: o.appPort,
      inboundAddress: o.inboundAddress ?? `${bind}:${inbound.port}`,
    };
    let quit: (() => void) | undefined;
    const admin = await startAdmin({
      port: o.adminPort,
      store,
      stats,
      logger,
      identity,
      certs: tls ? () => tls.certsView() : undefined,
      onQuit: () => quit?.(),
    });
    started.push(admin);
    const metrics = await startMetrics(bind, o.metricsPort, registry, o.metrics?.handler);
    started.push(metrics);

    const staticConfig =
      o.config ?? (o.configFile ? JSON.parse(readFileSync(o.configFile, 'utf8')) : undefined);
    if (staticConfig !== undefined) {
      const r = store.applyConfig(staticConfig);
      if (!r.ok) throw new Error(`static config rejected: ${r.error}`);
      logger.info('static config applied', { version: store.current?.version });
    }

    let xds: XdsClient | null = null;
    if (o.controlPlane) {
      xds = new XdsClient({
        target: o.controlPlane,
        node: {
          id: `${o.workload}.${o.namespace}`,
          workload: o.workload,
          namespace: o.namespace,
          serviceAccount: o.serviceAccount,
          labels: o.labels,
          services: o.services,
          inboundAddress: identity.inboundAddress,
          appPort: o.appPort,
          metricsAddress: `${bind}:${metrics.port}`,
          // The admin listener binds loopback only (see listeners/admin.ts).
          adminAddress: `127.0.0.1:${admin.port}`,
          proxyVersion: PROXY_VERSION,
        },
        // ConfigDiscovery over mTLS once the first certificate is in: the certificate is the
        // credential, bound to this workload's identity. Without an identity the stream is
        // plaintext with no credential, which a control plane with a CA refuses (UNAUTHENTICATED;
        // XdsClient logs that --join-token-file is missing and keeps retrying, /ready stays 503).
        ...(tls ? { credentials: tls.xdsCredentials() } : {}),
        onConfig: (json) => {
          const r = store.applyConfig(json);
          if (r.ok) logger.info('config applied', { version: store.current?.version });
          else logger.warn('config rejected', { error: r.error });
          return r.ok ? { ok: true } : { ok: false, error: r.error };
        },
        logger: (level, message, fields) => logger.log(level, message, fields),
      });
      if (tls) {
        // Sign first (the bootstrap), then open ConfigDiscovery over mTLS.
        const client = xds;
        tls.start().then(
          () => client.start(),
          () => undefined,
        );
      } else xds.start();
    } else void tls?.start().catch(() => undefined);

    let closing: Promise<void> | null = null;
    let markClosed: () => void = () => undefined;
    const closed = new Promise<void>((r) => {
      markClosed = r;
    });
    const handle: ProxyHandle = {
      ports: { inbound: inbound.port, outbound: outbound.port, admin: admin.port, metrics: metrics.port },
      store,
      stats,
      logger,
      applyConfig: store.applyConfig,
      xds,
      tls,
      closed,
      inflight: () => ({ inbound: inbound.inflight, outbound: outbound.inflight }),
      close(drainMs = 5_000) {
        closing ??= (async () => {
          xds?.close();
          tls?.close();
          // Listeners drain first (requests in flight finish), then pools and the rest close.
          await Promise.all([outbound.close(drainMs), inbound.close(drainMs)]);
          await admin.close();
          await metrics.close();
          // Spans of the last requests go out before the process may exit.
          await tracing?.shutdown().catch(() => undefined);
          await store.close();
          markClosed();
        })();
        return closing;
      },
    };
    quit = () => void handle.close();
    return handle;
  } catch (err) {
    tls?.close();
    await closeAll();
    await store.close();
    throw err;
  }
}
