import type * as grpc from '@grpc/grpc-js';
import type { MeshSettings, ProxyIdentity } from '@trellis/shared';
import { sendJson } from '../api/http';
import { type RunningGrpcServer, startGrpcServer } from '../grpc/server';
import { EmbeddedRegistry } from '../registry';
import type { ComponentContext, ControlPlaneComponent } from '../server';
import { DEFAULT_SETTINGS } from '../store/checks';
import { tracingFromEnv } from '../telemetry/env';
import { stderrXdsLogger, type XdsLogger } from './log';
import { ConfigPush } from './push';
import { PROXY_STATUS_PATH } from './status';
import { StoreResources } from './store-source';
import type { StreamCredentialCheck } from './stream-auth';

/**
 * Adds a service (e.g. the CA's Certificates) to the shared gRPC server before it starts. A
 * service may bring TLS for the port (the CA does, with the control plane's own mesh identity):
 * the port then serves TLS beside plaintext, told apart by the first byte. It may also bring the
 * credential check plaintext ConfigDiscovery streams must pass (the CA's join token): with one,
 * a plaintext stream without the credential is refused (./stream-auth).
 */
export interface GrpcService {
  (server: grpc.Server): void;
  tls?: { credentials: grpc.ServerCredentials; spiffeId: string };
  authenticatePlaintextStream?: StreamCredentialCheck;
}
export type GrpcServiceProvider = (ctx: ComponentContext) => Promise<GrpcService>;

export interface ConfigPushComponentOptions {
  /** Overrides of the mesh settings; tracing goes to the control plane's own OTLP receiver by default. */
  settings?: Partial<MeshSettings>;
  /** How long a disconnected proxy's endpoints stay in the registry (ms). Default 5 s. */
  registryGraceMs?: number;
  debounce?: { quietMs?: number; maxDelayMs?: number };
  /** Other gRPC services to serve on the same --grpc-port. */
  grpcServices?: GrpcServiceProvider[];
  logger?: XdsLogger;
  /** Each connection to --grpc-port, as plaintext or TLS (tests; the port serves both). */
  onGrpcConnection?: (kind: 'tls' | 'plaintext') => void;
}

export interface ConfigPushComponent extends ControlPlaneComponent {
  /** The running push loop (undefined before start): other components read proxies from it. */
  readonly push: ConfigPush | undefined;
  /** The proxies with an open stream (telemetry scrapes their metricsAddress). */
  connectedProxies(): ProxyIdentity[];
  /** The bound gRPC port (useful when --grpc-port 0 let the OS pick). */
  readonly grpcPort: number | undefined;
}

/**
 * The config push wired into the control plane: the embedded registry, the store watch feeding
 * the push loop, the gRPC server on --grpc-port (ConfigDiscovery, plus any grpcServices) and
 * GET /api/v1/mesh/proxies (sync state). Without a gRPC port it serves nothing over gRPC.
 */
export function configPushComponent(options: ConfigPushComponentOptions = {}): ConfigPushComponent {
  let push: ConfigPush | undefined;
  let grpcPort: number | undefined;
  return {
    name: 'config-push',
    get push() {
      return push;
    },
    get grpcPort() {
      return grpcPort;
    },
    connectedProxies: () => push?.connectedProxies() ?? [],
    async start(ctx) {
      const log = options.logger ?? stderrXdsLogger;
      const settings: MeshSettings = {
        ...DEFAULT_SETTINGS,
        // TRELLIS_ACCESS_LOG=true turns on the sidecars' access log (meshConfig.accessLogFile in Istio).
        accessLog: process.env.TRELLIS_ACCESS_LOG === 'true' || DEFAULT_SETTINGS.accessLog,
        tracing: {
          ...DEFAULT_SETTINGS.tracing,
          otlpEndpoint: `${ctx.httpUrl}/v1/traces`,
          ...tracingFromEnv(),
        },
        ...options.settings,
      };
      // The services first: the CA's credential check is part of the push service's set-up.
      const extra =
        ctx.options.grpcPort !== undefined
          ? await Promise.all((options.grpcServices ?? []).map((p) => p(ctx)))
          : [];
      const authenticatePlaintext = extra.find(
        (e) => e.authenticatePlaintextStream,
      )?.authenticatePlaintextStream;
      const resources = await StoreResources.open(ctx.store, (reason) =>
        log('warn', 'store watch closed; config push stops following changes', { reason }),
      );
      const registry = new EmbeddedRegistry({ graceMs: options.registryGraceMs ?? 5000 });
      push = new ConfigPush({
        resources,
        registry,
        settings,
        logger: log,
        ...(options.debounce ? { debounce: options.debounce } : {}),
        ...(authenticatePlaintext ? { authenticatePlaintext } : {}),
      });
      const running = push;
      ctx.setAnalysisSource({ registry: () => registry.current(), settings: () => settings });
      ctx.router.get(PROXY_STATUS_PATH, ({ res }) => sendJson(res, 200, running.proxies()));

      let server: RunningGrpcServer | undefined;
      if (ctx.options.grpcPort !== undefined) {
        const tls = extra.find((e) => e.tls !== undefined)?.tls;
        server = await startGrpcServer({
          host: ctx.options.host ?? '127.0.0.1',
          port: ctx.options.grpcPort,
          ...(tls ? { tls: tls.credentials } : {}),
          ...(options.onGrpcConnection ? { onConnection: options.onGrpcConnection } : {}),
          register: (s) => {
            running.addTo(s);
            for (const add of extra) add(s);
          },
        });
        grpcPort = server.port;
        ctx.log.info(
          `config push (gRPC) on ${ctx.options.host ?? '127.0.0.1'}:${server.port}` +
            (tls ? ` (plaintext bootstrap and TLS as ${tls.spiffeId})` : ' (plaintext)') +
            (authenticatePlaintext
              ? '; plaintext ConfigDiscovery requires the join token'
              : '; plaintext ConfigDiscovery is not authenticated'),
        );
      }
      return {
        async stop() {
          running.close();
          await server?.close(500);
          resources.close();
          registry.close();
        },
      };
    },
  };
}
