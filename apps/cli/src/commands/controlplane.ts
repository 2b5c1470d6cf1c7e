import { resolve } from 'node:path';
import { DEFAULT_COMPONENTS, startControlPlane, stderrLogger } from '@trellis/controlplane';
import type { Command } from '../main';
import { parseFlags, UsageError } from '../usage';

const usage = `Usage: trellis controlplane --data-dir DIR --port HTTP_PORT --grpc-port GRPC_PORT [flags]

Runs the Trellis control plane: the Kubernetes-style resource API (kubectl works against it),
the console API and health endpoints on HTTP_PORT, config push and certificates on GRPC_PORT.
Resources and their history are kept in DIR (SQLite); DIR/kubeconfig points kubectl at it:

  KUBECONFIG=DIR/kubeconfig kubectl get virtualservices -A

Flags:
  --data-dir DIR        where resources, history, keys and the kubeconfig live (default .trellis)
  --port PORT           HTTP port (default 15080; 0 picks a free one)
  --grpc-port PORT      gRPC port for proxies (default 15010; 0 picks a free one)
  --host ADDR           address to listen on (default 127.0.0.1, loopback only)
  --log-requests        log every HTTP request
  -h, --help            show this help

Stops cleanly on SIGINT or SIGTERM. Prints "ready <URL>" on stdout once it serves.`;

/** A port flag where 0 means "let the OS pick". */
function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--${name} must be a port (0-65535), got "${value}"`);
  return n;
}

export const command: Command = {
  summary: 'run the control plane (resource API, config push, CA)',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'grpc-port': { type: 'string' },
      host: { type: 'string' },
      'log-requests': { type: 'boolean' },
    });
    const dataDir = resolve(values['data-dir'] ?? '.trellis');
    const httpPort = port('port', values.port, 15080);
    const cp = await startControlPlane({
      dataDir,
      port: httpPort,
      grpcPort: port('grpc-port', values['grpc-port'], 15010),
      host: values.host ?? '127.0.0.1',
      components: DEFAULT_COMPONENTS,
      log: stderrLogger,
      logRequests: values['log-requests'] === true,
    }).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        stderrLogger.error(
          `${(err as Error).message}: is another control plane running? Pick another --port/--grpc-port`,
        );
        return undefined;
      }
      throw err;
    });
    if (!cp) return 1;
    stderrLogger.info(`serving ${cp.url} (data ${dataDir}, kubeconfig ${cp.kubeconfigPath})`);
    process.stdout.write(`ready ${cp.url}\n`);

    return new Promise<number>((done) => {
      let signalled = false;
      const shutdown = (signal: NodeJS.Signals) => {
        if (signalled) {
          // A second signal means "now": skip the graceful path.
          process.exit(1);
        }
        signalled = true;
        stderrLogger.info(`${signal}: shutting down`);
        cp.stop().then(
          () => done(0),
          (err: unknown) => {
            stderrLogger.error(err instanceof Error ? err.message : String(err));
            done(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
  },
};
