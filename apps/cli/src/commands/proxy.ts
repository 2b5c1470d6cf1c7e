import { codeOrigin } from '../code-origin';
import type { Command } from '../main';
import { parseFlags, portFlag, UsageError } from '../usage';

const usage = `Usage: trellis proxy --control-plane HOST:GRPC_PORT --workload NAME --namespace NS
    --service-account SA --labels app=NAME,version=V --service NAME:PORT [--service NAME:PORT ...]
    --app-port P --inbound-port I --outbound-port O --admin-port A --metrics-port M
    [--join-token-file PATH] [--config-file PATH] [--bind HOST] [--log-level LEVEL]

Runs the sidecar proxy for one workload.

  --control-plane     the control plane's gRPC address; config is pushed from there
  --workload          workload name (e.g. reviews-v2)
  --namespace         the workload's namespace
  --service-account   its service account (its mTLS identity)
  --labels            comma-separated key=value labels (app and version label telemetry)
  --service           a service this workload serves, NAME:PORT; repeat for several
  --app-port          where the app listens on 127.0.0.1 (inbound traffic goes there)
  --inbound-port      peers' sidecars connect here (Istio: 15006)
  --outbound-port     the app's HTTP_PROXY / transparent outbound port (Istio: 15001)
  --admin-port        admin on 127.0.0.1: /ready /config_dump /certs /stats /clusters /logging (Istio: 15000)
  --metrics-port      Prometheus metrics at /metrics (Istio: 15090)
  --join-token-file   the control plane's DATA_DIR/join-token (embedded mode): with it the proxy
                      makes its own key and CSR, gets a certificate for
                      spiffe://cluster.local/ns/NS/sa/SA, renews it at half life, and speaks mTLS
                      to peers (as the pushed PeerAuthentication says) and to the control plane.
                      Without it the proxy has no mesh identity: plaintext only, and a STRICT
                      workload refuses everything
  --config-file       a static ProxyConfig JSON (like Envoy's static bootstrap); with or
                      without --control-plane
  --bind              address for the inbound, outbound and metrics listeners (default 127.0.0.1)
  --log-level         debug | info | warn | error (default info)

--control-plane may be omitted when --config-file is given. Exits 0 after SIGINT/SIGTERM once
requests in flight are done, 1 on failure, 2 on usage errors.`;

function parseLabels(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v) return out;
  for (const pair of v.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--labels: "${pair}" is not key=value`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

function parseService(v: string): { name: string; port: number } {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?):(\d+)$/.exec(v);
  if (!m) throw new UsageError(`--service: "${v}" is not NAME:PORT`);
  return { name: m[1]!, port: portFlag('service', m[3]) };
}

function required(name: string, v: string | undefined): string {
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

export const command: Command = {
  summary: 'run the sidecar proxy for one workload',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      'control-plane': { type: 'string' },
      workload: { type: 'string' },
      namespace: { type: 'string' },
      'service-account': { type: 'string' },
      labels: { type: 'string' },
      service: { type: 'string', multiple: true },
      'app-port': { type: 'string' },
      'inbound-port': { type: 'string' },
      'outbound-port': { type: 'string' },
      'admin-port': { type: 'string' },
      'metrics-port': { type: 'string' },
      'join-token-file': { type: 'string' },
      'config-file': { type: 'string' },
      bind: { type: 'string' },
      'log-level': { type: 'string' },
    });
    const controlPlane = values['control-plane'];
    if (controlPlane === undefined && values['config-file'] === undefined)
      throw new UsageError('--control-plane is required (or --config-file for a static config)');
    if (controlPlane !== undefined && !/^[^:\s]+:\d+$/.test(controlPlane))
      throw new UsageError(`--control-plane must be HOST:PORT, got "${controlPlane}"`);
    const level = values['log-level'] ?? 'info';
    const { Logger, startProxy } = await import('@trellis/proxy');
    if (!Logger.isLevel(level)) throw new UsageError(`--log-level must be debug, info, warn or error`);
    const options = {
      controlPlane,
      workload: required('workload', values.workload),
      namespace: required('namespace', values.namespace),
      serviceAccount: required('service-account', values['service-account']),
      labels: parseLabels(values.labels),
      services: (values.service ?? []).map(parseService),
      appPort: portFlag('app-port', values['app-port']),
      inboundPort: portFlag('inbound-port', values['inbound-port']),
      outboundPort: portFlag('outbound-port', values['outbound-port']),
      adminPort: portFlag('admin-port', values['admin-port']),
      metricsPort: portFlag('metrics-port', values['metrics-port']),
      joinTokenFile: values['join-token-file'],
      configFile: values['config-file'],
      bindHost: values.bind,
      logger: new Logger(level),
    };
    const proxy = await startProxy(options);
    proxy.logger.info('proxy started', {
      ...proxy.ports,
      workload: options.workload,
      namespace: options.namespace,
      code: codeOrigin(),
    });
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        proxy.logger.info('draining', { signal });
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        proxy.close(5_000).then(resolve, resolve);
      };
      const onInt = () => stop('SIGINT');
      const onTerm = () => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      proxy.closed.then(resolve);
    });
    return 0;
  },
};
