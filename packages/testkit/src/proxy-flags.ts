// One place for the command line of a test sidecar (the `trellis proxy` contract in DESIGN.md).

/** The `trellis proxy` flags of a sidecar in namespace default, in the command-line contract's form. */
export function proxyFlags(o: {
  grpc: string;
  workload: string;
  app: string;
  version: string;
  /** NAME:PORT */
  service: string;
  appPort: number;
  ports: { inbound: number; outbound: number; admin: number; metrics: number };
  joinTokenFile?: string | undefined;
}): string[] {
  return [
    '--control-plane',
    o.grpc,
    '--workload',
    o.workload,
    '--namespace',
    'default',
    '--service-account',
    o.app,
    '--labels',
    `app=${o.app},version=${o.version}`,
    '--service',
    o.service,
    '--app-port',
    String(o.appPort),
    '--inbound-port',
    String(o.ports.inbound),
    '--outbound-port',
    String(o.ports.outbound),
    '--admin-port',
    String(o.ports.admin),
    '--metrics-port',
    String(o.ports.metrics),
    ...(o.joinTokenFile ? ['--join-token-file', o.joinTokenFile] : []),
  ];
}
