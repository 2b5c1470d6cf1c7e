import * as grpc from '@grpc/grpc-js';
import { type ChannelKind, type GrpcListener, listenBootstrapAndTls } from '../ca/grpc-listener';

export interface GrpcServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Default insecure (plaintext h2c). Ignored when `tls` is given. */
  credentials?: grpc.ServerCredentials;
  /**
   * TLS beside plaintext on the same port, told apart by the first byte (docs/security.md): the
   * proxies' bootstrap Sign is plaintext, everything after runs over TLS with the mesh identity.
   */
  tls?: grpc.ServerCredentials;
  onConnection?: (kind: ChannelKind) => void;
  /** Adds the services (ConfigDiscovery, Certificates) before the server starts. */
  register(server: grpc.Server): void;
}

export interface RunningGrpcServer {
  server: grpc.Server;
  port: number;
  /** Stops accepting, then ends what is still open after graceMs (default 1 s). */
  close(graceMs?: number): Promise<void>;
}

// Ping idle proxies so a stream to a vanished proxy (no FIN) is noticed and its endpoints go.
const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
};

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new grpc.Server(SERVER_OPTIONS);
  options.register(server);
  const host = options.host ?? '127.0.0.1';
  let listener: GrpcListener | undefined;
  let port: number;
  if (options.tls) {
    listener = await listenBootstrapAndTls(server, {
      host,
      port: options.port,
      tls: options.tls,
      ...(options.onConnection ? { onConnection: options.onConnection } : {}),
    });
    port = listener.port;
  } else {
    const address = host.includes(':') ? `[${host}]:${options.port}` : `${host}:${options.port}`;
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(
        address,
        options.credentials ?? grpc.ServerCredentials.createInsecure(),
        (err, bound) => (err ? reject(err) : resolve(bound)),
      );
    });
  }
  let closing: Promise<void> | undefined;
  return {
    server,
    port,
    close(graceMs = 1000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          void listener?.close();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          void listener?.close();
          resolve();
        });
      });
      return closing;
    },
  };
}
