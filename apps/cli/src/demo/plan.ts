/**
 * What the demo runs, as plain data: one ProcessSpec per process, with the probe that says it is
 * ready. Pure (no I/O) so the command lines are checked by a unit test.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { DemoLayout, DemoWorkload } from './layout';
import type { ProcessSpec } from './supervisor';

export interface PlanContext {
  /** Repository root (absolute). */
  root: string;
  dataDir: string;
  /** Load generator requests per second. */
  rate: number;
  /** Share of the load sent as a logged-in jason, 0–100. */
  jasonPercent: number;
  /** The environment children start from (proxy variables are removed). */
  env: Record<string, string | undefined>;
  /** DIR/join-token when the control plane wrote one (mTLS bootstrap). */
  joinTokenFile: string | null;
  /** next's CLI script (see nextBin). */
  nextBin: string;
}

export type Role = 'controlplane' | 'app' | 'sidecar' | 'loadgen' | 'console' | 'console-build';

export interface PlannedProcess extends ProcessSpec {
  role: Role;
  /** Its exit ends the demo (nothing works without it); other exits are reported and left. */
  essential: boolean;
  /** The URL that answers 200 once it is ready (null: see the caller). */
  readyUrl: string | null;
  workload?: DemoWorkload;
}

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];

/** The user's environment without proxy settings: only the Bookinfo apps get HTTP_PROXY, their sidecar. */
export function childEnv(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const v of PROXY_VARS) delete out[v];
  return out;
}

/**
 * The demo traces every request, as Istio's demo profile does (100 %): at the demo's few requests a
 * second the cost is small, and the traces page has something to show at once. The mesh default
 * stays 1 %; a TRELLIS_TRACING_SAMPLING the user set wins.
 */
export const DEMO_TRACING_SAMPLING = '100';

function trellis(root: string): string[] {
  return [join(root, 'apps/cli/bin/trellis.mjs')];
}

export function controlPlaneProcess(layout: DemoLayout, c: PlanContext): PlannedProcess {
  return {
    name: 'controlplane',
    role: 'controlplane',
    essential: true,
    command: process.execPath,
    args: [
      ...trellis(c.root),
      'controlplane',
      '--data-dir',
      c.dataDir,
      '--port',
      String(layout.apiPort),
      '--grpc-port',
      String(layout.grpcPort),
    ],
    cwd: c.root,
    env: { ...c.env, TRELLIS_TRACING_SAMPLING: c.env.TRELLIS_TRACING_SAMPLING ?? DEMO_TRACING_SAMPLING },
    readyUrl: `http://127.0.0.1:${layout.apiPort}/readyz`,
  };
}

export function sidecarProcess(w: DemoWorkload, layout: DemoLayout, c: PlanContext): PlannedProcess {
  return {
    name: `${w.name}-sidecar`,
    role: 'sidecar',
    essential: false,
    workload: w,
    command: process.execPath,
    args: [
      ...trellis(c.root),
      'proxy',
      '--control-plane',
      `127.0.0.1:${layout.grpcPort}`,
      '--workload',
      w.name,
      '--namespace',
      w.namespace,
      '--service-account',
      w.serviceAccount,
      '--labels',
      `app=${w.app},version=${w.version}`,
      ...w.services.flatMap((s) => ['--service', `${s.name}:${s.port}`]),
      '--app-port',
      String(w.appPort),
      '--inbound-port',
      String(w.inboundPort),
      '--outbound-port',
      String(w.outboundPort),
      '--admin-port',
      String(w.adminPort),
      '--metrics-port',
      String(w.metricsPort),
      ...(c.joinTokenFile ? ['--join-token-file', c.joinTokenFile] : []),
    ],
    cwd: c.root,
    env: c.env,
    // /ready answers 200 once the first config from the control plane is applied.
    readyUrl: `http://127.0.0.1:${w.adminPort}/ready`,
  };
}

/** The workload's own process: a Bookinfo service or the load generator, talking through its sidecar. */
export function appProcess(w: DemoWorkload, c: PlanContext): PlannedProcess {
  // POD_NAME: what Bookinfo's reviews shows as "Reviews served by", as in a cluster.
  const env = { ...c.env, HTTP_PROXY: `http://127.0.0.1:${w.outboundPort}`, POD_NAME: w.name };
  if (w.run.kind === 'loadgen')
    return {
      name: w.name,
      role: 'loadgen',
      essential: false,
      workload: w,
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        join(c.root, 'examples/bookinfo/src/loadgen.ts'),
        // Through its own sidecar, by service name, as a meshed client would.
        '--target',
        'http://productpage:9080',
        '--proxy',
        `http://127.0.0.1:${w.outboundPort}`,
        '--rate',
        String(c.rate),
        '--jason-percent',
        String(c.jasonPercent),
      ],
      cwd: c.root,
      env,
      readyUrl: null,
    };
  return {
    name: w.name,
    role: 'app',
    essential: false,
    workload: w,
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      join(c.root, 'examples/bookinfo/src/main.ts'),
      '--service',
      w.run.service,
      '--version',
      w.run.version,
      '--port',
      String(w.appPort),
      '--host',
      '127.0.0.1',
    ],
    cwd: c.root,
    env,
    readyUrl: `http://127.0.0.1:${w.appPort}/health`,
  };
}

/** next's CLI, resolved from the console's own dependencies. */
export function nextBin(root: string): string {
  const require = createRequire(join(root, 'apps/console/package.json'));
  return join(require.resolve('next/package.json'), '..', 'dist/bin/next');
}

export function consoleBuildProcess(c: PlanContext): PlannedProcess {
  return {
    name: 'console-build',
    role: 'console-build',
    essential: true,
    command: process.execPath,
    args: [c.nextBin, 'build'],
    cwd: join(c.root, 'apps/console'),
    env: { ...c.env, NEXT_TELEMETRY_DISABLED: '1' },
    readyUrl: null,
  };
}

export function consoleProcess(layout: DemoLayout, c: PlanContext): PlannedProcess {
  return {
    name: 'console',
    role: 'console',
    essential: true,
    command: process.execPath,
    args: [c.nextBin, 'start', '-p', String(layout.consolePort), '-H', '127.0.0.1'],
    cwd: join(c.root, 'apps/console'),
    env: {
      ...c.env,
      NEXT_TELEMETRY_DISABLED: '1',
      TRELLIS_API_URL: `http://127.0.0.1:${layout.apiPort}`,
    },
    readyUrl: `http://127.0.0.1:${layout.consolePort}/`,
  };
}
