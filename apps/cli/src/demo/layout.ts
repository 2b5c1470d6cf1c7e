/**
 * The demo's port layout: every port is a fixed offset from --port-base, so two demos side by side
 * (or a test next to a demo) never collide when their bases are at least PORT_SPAN apart, and a
 * script can compute any port without reading demo.json. Documented in docs/demo.md.
 *
 *   BASE+0  control plane HTTP (Kubernetes-style API, console API, OTLP)
 *   BASE+1  control plane gRPC (config push, certificates)
 *   BASE+2  console (next start)
 *   BASE+10*k + 0..4  workload k (1-based, in DEMO_WORKLOADS order):
 *           app, sidecar inbound, sidecar outbound, sidecar admin, sidecar metrics
 */
import { BOOKINFO_WORKLOADS } from '@trellis/bookinfo/workloads';

export const DEFAULT_PORT_BASE = 20000;
export const DEMO_NAMESPACE = 'default';
/** Ports used: BASE .. BASE+PORT_SPAN-1. */
export const PORT_SPAN = 75;
export const MIN_PORT_BASE = 1024;
export const MAX_PORT_BASE = 65536 - PORT_SPAN;

/** What runs behind a workload's sidecar: a Bookinfo service, or the load generator. */
export type DemoApp = { kind: 'bookinfo'; service: string; version: string } | { kind: 'loadgen' };

export interface DemoWorkload {
  name: string;
  namespace: string;
  app: string;
  version: string;
  serviceAccount: string;
  /** Services this workload serves (none for the load generator). */
  services: { name: string; port: number }[];
  run: DemoApp;
  appPort: number;
  inboundPort: number;
  outboundPort: number;
  adminPort: number;
  metricsPort: number;
}

export interface DemoLayout {
  portBase: number;
  apiPort: number;
  grpcPort: number;
  consolePort: number;
  workloads: DemoWorkload[];
}

/** Bookinfo's six workloads, then the load generator (meshed, so it works under STRICT mTLS). */
const WORKLOADS: Omit<
  DemoWorkload,
  'appPort' | 'inboundPort' | 'outboundPort' | 'adminPort' | 'metricsPort'
>[] = [
  ...BOOKINFO_WORKLOADS.map((w) => ({
    name: w.workload,
    namespace: DEMO_NAMESPACE,
    app: w.labels.app,
    version: w.labels.version,
    serviceAccount: w.serviceAccount,
    services: [{ name: w.service, port: 9080 }],
    run: { kind: 'bookinfo', service: w.service, version: w.version } as const,
  })),
  {
    name: 'loadgen',
    namespace: DEMO_NAMESPACE,
    app: 'loadgen',
    version: 'v1',
    serviceAccount: 'loadgen',
    services: [],
    run: { kind: 'loadgen' } as const,
  },
];

export function isValidPortBase(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_PORT_BASE && n <= MAX_PORT_BASE;
}

export function demoLayout(portBase: number): DemoLayout {
  if (!isValidPortBase(portBase))
    throw new RangeError(`port base must be an integer ${MIN_PORT_BASE}-${MAX_PORT_BASE}, got ${portBase}`);
  return {
    portBase,
    apiPort: portBase,
    grpcPort: portBase + 1,
    consolePort: portBase + 2,
    workloads: WORKLOADS.map((w, i) => {
      const first = portBase + 10 * (i + 1);
      return {
        ...w,
        appPort: first,
        inboundPort: first + 1,
        outboundPort: first + 2,
        adminPort: first + 3,
        metricsPort: first + 4,
      };
    }),
  };
}

/** Every port the layout binds, with what binds it (for "port in use" messages). */
export function layoutPorts(layout: DemoLayout): { port: number; owner: string }[] {
  const out = [
    { port: layout.apiPort, owner: 'control plane HTTP' },
    { port: layout.grpcPort, owner: 'control plane gRPC' },
    { port: layout.consolePort, owner: 'console' },
  ];
  for (const w of layout.workloads) {
    // The load generator has no app listening; its app port stays reserved but unbound.
    if (w.run.kind === 'bookinfo') out.push({ port: w.appPort, owner: `${w.name} app` });
    out.push(
      { port: w.inboundPort, owner: `${w.name} sidecar inbound` },
      { port: w.outboundPort, owner: `${w.name} sidecar outbound` },
      { port: w.adminPort, owner: `${w.name} sidecar admin` },
      { port: w.metricsPort, owner: `${w.name} sidecar metrics` },
    );
  }
  return out;
}
