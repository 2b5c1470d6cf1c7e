import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reservePorts } from '@trellis/testkit';

interface Usage {
  cpuSeconds: number;
  peakRssBytes: number;
}

export interface BenchMesh {
  directUrl: string;
  meshUrl: string;
  meshHost: string;
  sidecars: string[];
  sidecarUsage(): Usage[];
  /** Each sidecar's Prometheus page (/metrics), in the order of `sidecars`. */
  sidecarMetrics(): Promise<string[]>;
  stop(): Promise<void>;
}

const CLK_TCK = 100; // USER_HZ on Linux

function usageOf(pid: number): Usage {
  // /proc/PID/stat fields 14 and 15 (utime, stime) in clock ticks; the command name may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  return { cpuSeconds: ticks / CLK_TCK, peakRssBytes: Number(hwm?.[1] ?? 0) * 1024 };
}

/** GET until 200; node:http rather than fetch, because fetch may not set the Host header. */
function getStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = httpGet(url, { headers, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls `url`; gives up as soon as any of `children` has exited (its log says why). */
async function waitFor(
  url: string,
  children: ChildProcess[],
  headers: Record<string, string> = {},
  tries = 300,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const dead = children.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead)
      throw new Error(`${dead.spawnargs.slice(1, 3).join(' ')} exited (${dead.exitCode ?? dead.signalCode})`);
    if ((await getStatus(url, headers)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${url}`);
}

/**
 * Control plane, the app (bench/lib/upstream.mjs), its sidecar ("server") and a client-side
 * sidecar ("client"), as real processes through the `trellis` CLI.
 */
export async function startMeshForBench(opts: { root: string; profileDir?: string }): Promise<BenchMesh> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-bench-'));
  const [api, grpc, app, sIn, sOut, sAdm, sMet, cIn, cOut, cAdm, cMet] = await reservePorts(11);
  const cli = join(opts.root, 'apps/cli/bin/trellis.mjs');
  const children: ChildProcess[] = [];
  let stopped = false;
  let keepDataDir = false;
  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    // SIGTERM lets --cpu-prof write its profile on exit.
    await Promise.all(
      children.reverse().map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
            c.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
    if (!keepDataDir) rmSync(dataDir, { recursive: true, force: true });
  }

  // Each process logs to DATA_DIR/NAME.log; the directory is kept when start-up fails.
  // The profiled pass runs the sidecar from the sources, so the profile names source files rather
  // than lines of the bundle (the request path's JavaScript is the same either way).
  const env = opts.profileDir ? { ...process.env, TRELLIS_FROM_SOURCE: '1' } : process.env;
  const start = (name: string, args: string[], nodeFlags: string[] = []) => {
    const log = openSync(join(dataDir, `${name}.log`), 'a');
    const c = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', log, log], env });
    children.push(c);
    return c;
  };
  try {
    start('controlplane', [
      cli,
      'controlplane',
      '--data-dir',
      dataDir,
      '--port',
      String(api),
      '--grpc-port',
      String(grpc),
    ]);
    await waitFor(`http://127.0.0.1:${api}/readyz`, children);
    start('upstream', [join(opts.root, 'bench/lib/upstream.mjs'), String(app)]);
    const sidecar = (name: string, ports: number[], extra: string[], nodeFlags: string[] = []) =>
      start(
        name,
        [
          cli,
          'proxy',
          '--control-plane',
          `127.0.0.1:${grpc}`,
          '--workload',
          name,
          '--namespace',
          'default',
          '--service-account',
          name,
          '--labels',
          `app=${name},version=v1`,
          ...extra,
          '--inbound-port',
          String(ports[0]),
          '--outbound-port',
          String(ports[1]),
          '--admin-port',
          String(ports[2]),
          '--metrics-port',
          String(ports[3]),
          '--join-token-file',
          join(dataDir, 'join-token'),
        ],
        nodeFlags,
      );
    // --cpu-prof is refused in NODE_OPTIONS, so it goes on the node command line.
    const profileFlags = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
    const server = sidecar(
      'bench-server',
      [sIn!, sOut!, sAdm!, sMet!],
      ['--service', 'bench-server:9080', '--app-port', String(app)],
    );
    const client = sidecar(
      'bench-client',
      [cIn!, cOut!, cAdm!, cMet!],
      ['--app-port', String(app)],
      profileFlags,
    );
    await waitFor(`http://127.0.0.1:${sAdm}/ready`, children);
    await waitFor(`http://127.0.0.1:${cAdm}/ready`, children);
    const meshHost = 'bench-server.default.svc.cluster.local:9080';
    await waitFor(`http://127.0.0.1:${cOut}/`, children, { host: meshHost });
    await waitFor(`http://127.0.0.1:${app}/`, children);
    return {
      directUrl: `http://127.0.0.1:${app}/`,
      meshUrl: `http://127.0.0.1:${cOut}/`,
      meshHost,
      sidecars: ['client sidecar', 'server sidecar'],
      sidecarUsage: () => [usageOf(client.pid!), usageOf(server.pid!)],
      sidecarMetrics: () =>
        Promise.all(
          [cMet, sMet].map(async (port) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text()),
        ),
      stop,
    };
  } catch (err) {
    keepDataDir = true;
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)} (logs in ${dataDir})`);
  }
}
