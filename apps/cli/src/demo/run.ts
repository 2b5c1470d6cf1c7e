/**
 * `trellis demo`: the control plane, one sidecar and one process per Bookinfo workload, the load
 * generator behind its own sidecar, and the console, started in dependency order with progress,
 * then DIR/demo.json once everything answers. SIGINT/SIGTERM stop it all (docs/demo.md).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBundle, SIDECAR_BUNDLE } from '../../bin/sidecar-bundle.mjs';
import { acquireBuildLock } from './build-lock';
import { consoleBuildNeed } from './console-build';
import { type DemoLayout, type DemoWorkload, demoLayout, layoutPorts } from './layout';
import {
  appProcess,
  childEnv,
  consoleBuildProcess,
  consoleProcess,
  controlPlaneProcess,
  nextBin,
  type PlanContext,
  type PlannedProcess,
  sidecarProcess,
} from './plan';
import { httpGet, httpOk, type ProbeResult, portsInUse, waitUntil } from './probe';
import { commandLine, findTaggedProcesses, isAlive } from './procfs';
import { logTail, Progress, shortPath } from './progress';
import { demoState, readPids, removeDemoState, writeDemoState, writePids } from './state-files';
import { describeExit, type Running, Supervisor } from './supervisor';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WATCHDOG = fileURLToPath(new URL('./watchdog.ts', import.meta.url));

export interface DemoOptions {
  /** Absolute. */
  dataDir: string;
  portBase: number;
  rate: number;
  jasonPercent: number;
  /** Per process: how long it may take to answer its readiness probe. */
  readyTimeoutMs: number;
  root?: string;
}

/** A part of the demo that did not come up; the message names it and its log. */
class StartFailure extends Error {
  override name = 'StartFailure';
  constructor(
    readonly part: string,
    readonly reason: string,
    readonly logPath: string | null,
  ) {
    super(`${part}: ${reason}`);
  }
}

class Interrupted extends Error {
  override name = 'Interrupted';
}

type Phase = 'starting' | 'running' | 'stopping';

const WAITING_EVERY_MS = 15_000;

export async function runDemo(o: DemoOptions): Promise<number> {
  const root = o.root ?? ROOT;
  const progress = new Progress();
  const layout = demoLayout(o.portBase);
  const logDir = join(o.dataDir, 'logs');
  const kubeconfig = join(o.dataDir, 'kubeconfig');
  mkdirSync(logDir, { recursive: true });

  const refused = await preflight(o, layout, progress);
  if (refused !== null) return refused;

  let phase: Phase = 'starting';
  let exitCode = 0;
  let published = false;
  const planned = new Map<string, PlannedProcess>();
  // Aborted by a signal (user) or by the first failure; every wait listens to it.
  const stop = new AbortController();
  let failure: StartFailure | null = null;
  const fail = (f: StartFailure) => {
    failure ??= f;
    stop.abort();
  };

  const supervisor = new Supervisor({
    dataDir: o.dataDir,
    logDir,
    onChange: (procs) =>
      writePids(o.dataDir, {
        demo: process.pid,
        watchdog: supervisor.watchdogPid,
        processes: procs.filter((p) => p.exit === null).map((p) => ({ name: p.name, pid: p.pid })),
      }),
    onUnexpectedExit: (proc, status) => {
      const plan = planned.get(proc.name);
      if (!plan || plan.role === 'console-build') return;
      if (phase === 'starting') {
        fail(new StartFailure(proc.name, describeExit(status), proc.logPath));
        return;
      }
      if (phase !== 'running') return;
      // Not restarted: the error it causes is what the demo should show (docs/demo.md).
      progress.step(
        proc.name,
        'exited',
        `${describeExit(status)}; not restarted. Log: ${shortPath(proc.logPath)}`,
      );
      if (plan.essential) {
        progress.line(`The demo cannot run without ${proc.name}; stopping.`);
        exitCode = 1;
        stop.abort();
      }
    },
  });

  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // One Ctrl-C can arrive more than once (the terminal's, and npm's or a wrapper's copy).
    if (firstSignalAt > 0 && performance.now() - firstSignalAt < 1000) return;
    if (stop.signal.aborted && firstSignalAt > 0) {
      progress.line(`${signal} again: killing every demo process now.`);
      supervisor.killAll();
      if (published) writeDemoState(o.dataDir, demoState(layout, kubeconfig, false));
      process.exit(1);
    }
    firstSignalAt = performance.now();
    progress.line(`${signal}: stopping the demo (send it again to kill at once).`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const ctx: PlanContext = {
    root,
    dataDir: o.dataDir,
    rate: o.rate,
    jasonPercent: o.jasonPercent,
    env: childEnv(process.env),
    joinTokenFile: null,
    nextBin: nextBin(root),
  };

  // Parts started and not ready yet, with their probe's last answer; listed every WAITING_EVERY_MS.
  const waiting = new Map<string, string>();
  const ticker = setInterval(() => {
    if (phase !== 'starting' || waiting.size === 0) return;
    const names = [...waiting.keys()];
    const [first] = names;
    progress.step(
      first!,
      'waiting',
      `${waiting.get(first!)}${names.length > 1 ? `; ${names.length - 1} more not ready: ${names.slice(1, 5).join(', ')}${names.length > 5 ? ', …' : ''}` : ''}`,
    );
  }, WAITING_EVERY_MS);
  ticker.unref();

  /** Starts one process and waits for its probe; throws StartFailure or Interrupted. */
  const launch = async (p: PlannedProcess, probe?: () => Promise<ProbeResult>): Promise<Running> => {
    planned.set(p.name, p);
    const proc = supervisor.start(p);
    progress.step(p.name, 'starting', `log: ${shortPath(proc.logPath)}`);
    const probeOnce = probe ?? (p.readyUrl ? httpOk(p.readyUrl) : null);
    if (probeOnce) {
      waiting.set(p.name, 'no answer yet');
      // Remembers the last answer, so the "still waiting" line can say why.
      const check = async (): Promise<ProbeResult> => {
        const r = await probeOnce().catch((err: unknown) => ({
          ok: false as const,
          reason: err instanceof Error ? err.message : String(err),
        }));
        if (!r.ok) waiting.set(p.name, r.reason);
        return r;
      };
      try {
        const r = await waitUntil(check, {
          timeoutMs: o.readyTimeoutMs,
          failed: () => (proc.exit ? describeExit(proc.exit) : null),
          signal: stop.signal,
        }).catch(() => {
          throw new Interrupted();
        });
        if (!r.ok) throw new StartFailure(p.name, r.reason, proc.logPath);
      } finally {
        waiting.delete(p.name);
      }
    }
    progress.step(p.name, 'ready', p.readyUrl ? p.readyUrl.replace(/\/(readyz|ready|health)$/, '') : '');
    return proc;
  };

  /** Runs every launch; the first failure aborts the others and is rethrown. */
  const launchAll = async (runs: Promise<unknown>[]): Promise<void> => {
    const results = await Promise.allSettled(runs);
    for (const r of results)
      if (r.status === 'rejected' && r.reason instanceof StartFailure) {
        fail(r.reason);
        throw r.reason;
      }
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  };

  const buildConsole = async (): Promise<void> => {
    const need = consoleBuildNeed(root);
    if (!need.build) {
      progress.step('console-build', 'built', 'production build is up to date');
      return;
    }
    const release = await acquireBuildLock(root, stop.signal, (pid) =>
      progress.step('console-build', 'building', `waiting for another build (pid ${pid}) to finish`),
    ).catch(() => {
      throw new Interrupted();
    });
    try {
      const again = consoleBuildNeed(root);
      if (!again.build) {
        progress.step('console-build', 'built', 'built meanwhile by another process');
        return;
      }
      const spec = consoleBuildProcess(ctx);
      planned.set(spec.name, spec);
      const started = progress.seconds();
      const proc = supervisor.start(spec);
      progress.step(
        'console-build',
        'building',
        `${again.reason}; next build takes a minute or two. Log: ${shortPath(proc.logPath)}`,
      );
      const status = await Promise.race([
        proc.exited,
        new Promise<null>((r) => stop.signal.addEventListener('abort', () => r(null), { once: true })),
      ]);
      if (status === null) throw new Interrupted();
      if (status.code !== 0) throw new StartFailure('console-build', describeExit(status), proc.logPath);
      progress.step('console-build', 'built', `in ${(progress.seconds() - started).toFixed(1)} s`);
    } finally {
      release();
    }
  };

  const buildSidecar = async (): Promise<void> => {
    try {
      const b = await ensureBundle(root);
      progress.step(
        'sidecar-build',
        'built',
        b.built
          ? `${SIDECAR_BUNDLE} from ${b.inputs} files in ${(b.ms / 1000).toFixed(1)} s (${b.reason})`
          : `${SIDECAR_BUNDLE} is up to date`,
      );
    } catch (err) {
      // Not fatal: `trellis proxy` runs the sources when there is no fresh bundle.
      progress.line(
        `sidecar-build: ${err instanceof Error ? err.message : String(err)}; the sidecars run from the sources`,
      );
    }
  };

  progress.line(
    `Starting the Trellis demo: data ${shortPath(o.dataDir)}, ports ${layout.portBase}-${layout.portBase + 74}, ` +
      `load ${o.rate} requests/s (${o.jasonPercent} % as jason).`,
  );
  supervisor.startWatchdog(WATCHDOG, root);
  try {
    // The build uses both cores for a minute: start it first and bring the mesh up beside it.
    const built = buildConsole();
    built.catch((err: unknown) => {
      if (err instanceof StartFailure) fail(err);
      else stop.abort();
    });

    const sidecarBuilt = buildSidecar();
    await launchAll([launch(controlPlaneProcess(layout, ctx))]);
    const token = join(o.dataDir, 'join-token');
    ctx.joinTokenFile = existsSync(token) ? token : null;

    await sidecarBuilt;
    const meshed = layout.workloads.filter((w) => w.run.kind === 'bookinfo');
    const loadgen = layout.workloads.find((w) => w.run.kind === 'loadgen')!;
    await launchAll([
      ...meshed.flatMap((w) => [launch(sidecarProcess(w, layout, ctx)), launch(appProcess(w, ctx))]),
      launch(sidecarProcess(loadgen, layout, ctx)),
    ]);

    await meshReady(loadgen, o, stop.signal, progress);
    const before = await sentThroughSidecar(loadgen);
    await launchAll([launch(appProcess(loadgen, ctx), loadFlowing(loadgen, before))]);

    await built;
    await launchAll([launch(consoleProcess(layout, ctx))]);

    if (!existsSync(kubeconfig))
      throw new StartFailure(
        'controlplane',
        `it did not write ${kubeconfig}`,
        join(logDir, 'controlplane.log'),
      );
    writeDemoState(o.dataDir, demoState(layout, kubeconfig, true));
    published = true;
    phase = 'running';
    printReady(layout, o, kubeconfig, progress);

    await new Promise<void>((resolve) => {
      if (stop.signal.aborted) resolve();
      stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } catch (err) {
    // Whatever is still waiting (the build lock, a probe) gives up now.
    stop.abort();
    const f = err instanceof StartFailure ? err : failure;
    if (f) {
      progress.step(f.part, 'FAILED', f.reason);
      if (f.logPath) {
        progress.line(`  log: ${shortPath(f.logPath)}`);
        const tail = logTail(f.logPath);
        if (tail) progress.line(tail);
      }
      exitCode = 1;
    } else if (!(err instanceof Interrupted)) {
      throw err;
    }
  } finally {
    clearInterval(ticker);
    phase = 'stopping';
    await shutdown(supervisor, layout, o, kubeconfig, published, progress);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  return exitCode;
}

/** Refuses to start next to a running demo on the same data dir or on busy ports; clears leftovers. */
async function preflight(o: DemoOptions, layout: DemoLayout, progress: Progress): Promise<number | null> {
  const previous = readPids(o.dataDir);
  if (
    previous &&
    previous.demo !== process.pid &&
    isAlive(previous.demo) &&
    (commandLine(previous.demo) ?? '').includes('demo')
  ) {
    progress.line(
      `A demo is already running with data directory ${shortPath(o.dataDir)} (pid ${previous.demo}). ` +
        'Stop it (Ctrl-C in its terminal, or kill -INT PID) or pass another --data-dir.',
    );
    return 1;
  }
  const leftovers = findTaggedProcesses(o.dataDir);
  if (leftovers.length > 0) {
    progress.line(`Stopping ${leftovers.length} process(es) left behind by an earlier demo run.`);
    for (const p of leftovers) signal(p.pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && leftovers.some((p) => isAlive(p.pid)))
      await new Promise((r) => setTimeout(r, 100));
    for (const p of leftovers) if (isAlive(p.pid)) signal(p.pid, 'SIGKILL');
  }
  removeDemoState(o.dataDir);

  const ports = layoutPorts(layout);
  const busy = await portsInUse(ports.map((p) => p.port));
  if (busy.length > 0) {
    const owners = busy.map((port) => `${port} (${ports.find((p) => p.port === port)?.owner})`);
    progress.line(
      `Port(s) already in use on 127.0.0.1: ${owners.slice(0, 6).join(', ')}${owners.length > 6 ? ', …' : ''}.\n` +
        `Stop what uses them, or pick another block of 75 ports with --port-base N (now ${layout.portBase}).`,
    );
    return 1;
  }
  return null;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

/** The mesh works end to end: productpage, through the load generator's sidecar, shows details and reviews. */
async function meshReady(loadgen: DemoWorkload, o: DemoOptions, signal: AbortSignal, progress: Progress) {
  const r = await waitUntil(
    async () => {
      const page = await httpGet('http://productpage:9080/productpage', {
        proxyPort: loadgen.outboundPort,
        timeoutMs: 10_000,
      });
      if (page.status !== 200) return { ok: false, reason: `productpage answered ${page.status}` };
      if (!page.body.includes('Book Details') || !page.body.includes('Book Reviews'))
        return { ok: false, reason: 'productpage does not show details and reviews yet' };
      return { ok: true };
    },
    { timeoutMs: o.readyTimeoutMs, everyMs: 500, signal },
  ).catch(() => {
    throw new Interrupted();
  });
  if (!r.ok) throw new StartFailure('mesh', r.reason, null);
  progress.step('mesh', 'ready', 'productpage answers through the sidecars with details and reviews');
}

/** Requests the load generator's sidecar has sent (its source-reported istio_requests_total). */
async function sentThroughSidecar(loadgen: DemoWorkload): Promise<number> {
  const m = await httpGet(`http://127.0.0.1:${loadgen.metricsPort}/metrics`, { timeoutMs: 3000 });
  let sum = 0;
  for (const line of m.body.split('\n'))
    if (line.startsWith('istio_requests_total{') && line.includes('reporter="source"'))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  return sum;
}

/** The load generator is ready once its sidecar counts requests beyond the mesh check's. */
function loadFlowing(loadgen: DemoWorkload, before: number): () => Promise<ProbeResult> {
  return async () =>
    (await sentThroughSidecar(loadgen)) > before
      ? { ok: true }
      : { ok: false, reason: 'no request through its sidecar yet' };
}

/** " (62.0 s since `npm run demo` started)" when started through scripts/demo.mjs, which may have installed first. */
function sinceCommand(): string {
  const at = Number(process.env.TRELLIS_DEMO_STARTED_AT);
  if (!Number.isFinite(at) || at <= 0) return '';
  return ` (${((Date.now() - at) / 1000).toFixed(1)} s since \`npm run demo\` started)`;
}

function printReady(layout: DemoLayout, o: DemoOptions, kubeconfig: string, progress: Progress): void {
  const productpage = layout.workloads.find((w) => w.name === 'productpage-v1')!;
  const kc = shortPath(kubeconfig);
  progress.line(
    [
      '',
      `Trellis demo ready in ${progress.seconds().toFixed(1)} s${sinceCommand()}.`,
      '',
      `  Console      http://127.0.0.1:${layout.consolePort}`,
      `  API          http://127.0.0.1:${layout.apiPort}`,
      `  kubectl      kubectl --kubeconfig ${kc} get vs -A`,
      `  Try          kubectl --kubeconfig ${kc} apply -f packages/shared/fixtures/bookinfo/destination-rule-all.yaml \\`,
      `                 -f packages/shared/fixtures/bookinfo/virtual-service-reviews-50-v3.yaml`,
      `  Bookinfo     http://127.0.0.1:${productpage.inboundPort}/productpage (through productpage's sidecar)`,
      `  Logs         ${shortPath(join(o.dataDir, 'logs'))}/`,
      `  State        ${shortPath(join(o.dataDir, 'demo.json'))}`,
      '',
      `Load: ${o.rate} requests/s to productpage, ${o.jasonPercent} % as jason. Ctrl-C stops everything.`,
    ].join('\n'),
  );
}

async function shutdown(
  supervisor: Supervisor,
  layout: DemoLayout,
  o: DemoOptions,
  kubeconfig: string,
  published: boolean,
  progress: Progress,
): Promise<void> {
  if (published) writeDemoState(o.dataDir, demoState(layout, kubeconfig, false));
  const started = supervisor.processes.map((p) => p.name);
  if (started.length > 0) progress.line('Stopping the demo…');
  const t0 = performance.now();
  // Traffic first, so nothing counts errors while the mesh goes down; the control plane last,
  // so sidecars do not spend their last seconds reconnecting.
  const byRole = (names: string[]) => started.filter((n) => names.includes(n));
  await supervisor.stop(byRole(['loadgen', 'console-build']));
  await supervisor.stop(started.filter((n) => n !== 'controlplane'));
  await supervisor.stop();
  await supervisor.releaseWatchdog();
  writePids(o.dataDir, { demo: process.pid, watchdog: null, processes: [] });
  const left = findTaggedProcesses(o.dataDir);
  for (const p of left) signal(p.pid, 'SIGKILL');
  if (left.length > 0)
    progress.line(`Killed ${left.length} stray process(es): ${left.map((p) => p.pid).join(' ')}`);
  if (started.length > 0) progress.line(`Stopped in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
}
