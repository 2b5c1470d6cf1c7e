// Runs one Bookinfo service:
//   node --import tsx examples/bookinfo/src/main.ts --service reviews --version v2 --port 9080
// Peers are reached through HTTP_PROXY (the sidecar's outbound listener) when it is set, else
// through BOOKINFO_HOSTS=name=host:port,... (no sidecar), else by DNS name on port 9080.
import { parseArgs } from 'node:util';
import { isServiceName, SERVICE_NAMES, startService } from './service';
import { OutboundConfigError, outboundFromEnv } from './upstream';

const USAGE = `Usage: bookinfo --service ${SERVICE_NAMES.join('|')} [--version v1] [--port 9080] [--host 127.0.0.1]

Environment:
  HTTP_PROXY       http://127.0.0.1:OUTBOUND  send calls to peers through the sidecar
  BOOKINFO_HOSTS   details=127.0.0.1:P,...    where peers listen when there is no sidecar
  STAR_COLOR, ENABLE_RATINGS                  override what the reviews version implies`;

async function main(argv: string[]): Promise<number> {
  let values: { service?: string; version?: string; port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        service: { type: 'string' },
        version: { type: 'string', default: 'v1' },
        port: { type: 'string', default: '9080' },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`bookinfo: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (
    !values.service ||
    !isServiceName(values.service) ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535
  ) {
    console.error(
      `bookinfo: --service must be one of ${SERVICE_NAMES.join(', ')} and --port 0-65535\n\n${USAGE}`,
    );
    return 2;
  }
  let outbound: ReturnType<typeof outboundFromEnv>;
  try {
    outbound = outboundFromEnv(process.env);
  } catch (err) {
    if (err instanceof OutboundConfigError) {
      console.error(`bookinfo: ${err.message}`);
      return 2;
    }
    throw err;
  }

  const running = await startService({
    service: values.service,
    version: values.version ?? 'v1',
    port,
    host: values.host,
    outbound,
  });
  const via = outbound.kind === 'proxy' ? `via ${outbound.proxyUrl.origin}` : 'direct';
  // Parsed by tests and the demo to learn the port when --port 0 was given.
  console.log(`bookinfo ${running.service} ${running.version} listening on ${running.url} (peers ${via})`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await running.close();
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
