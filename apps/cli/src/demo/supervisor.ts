/**
 * Starts and stops the demo's processes. Each one:
 * - leads its own process group (detached: setsid), so a terminal's Ctrl-C reaches only
 *   `trellis demo`, which then stops them in order, and stopping one stops whatever it spawned;
 * - writes stdout and stderr straight to DIR/logs/NAME.log (no pipe through the demo, so nothing
 *   blocks or breaks when the demo is busy or gone);
 * - carries DEMO_TAG_ENV in its environment (see procfs.ts);
 * - is reported to the watchdog, which stops it if the demo dies without stopping it.
 * Exits are not restarted: the demo shows a failure rather than hiding it (docs/demo.md).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_TAG_ENV, groupAlive, signalGroup } from './procfs';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export interface Running {
  name: string;
  pid: number;
  logPath: string;
  /** Set once the process has exited. */
  exit: ExitStatus | null;
  exited: Promise<ExitStatus>;
}

export interface SupervisorOptions {
  dataDir: string;
  logDir: string;
  /** Called for every exit that stopAll did not ask for. */
  onUnexpectedExit(proc: Running, status: ExitStatus): void;
  /** Called whenever the set of started processes changes (to record pids). */
  onChange(procs: Running[]): void;
}

const STOP_GRACE_MS = 8000;

export function describeExit(s: ExitStatus): string {
  return s.signal ? `was killed by ${s.signal}` : `exited with code ${s.code}`;
}

export class Supervisor {
  readonly #o: SupervisorOptions;
  readonly #procs: Running[] = [];
  readonly #stopping = new Set<string>();
  #watchdog: ChildProcess | null = null;

  constructor(options: SupervisorOptions) {
    this.#o = options;
    mkdirSync(options.logDir, { recursive: true });
  }

  get processes(): readonly Running[] {
    return this.#procs;
  }

  get watchdogPid(): number | null {
    return this.#watchdog?.pid ?? null;
  }

  /** The watchdog is best effort: without it a SIGKILLed demo may leave processes behind. */
  startWatchdog(script: string, cwd: string): void {
    const log = openSync(join(this.#o.logDir, 'watchdog.log'), 'w');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd,
        detached: true,
        stdio: ['pipe', log, log],
        env: { ...process.env, [DEMO_TAG_ENV]: this.#o.dataDir },
      });
      child.on('error', () => {
        this.#watchdog = null;
      });
      // A dead watchdog must not crash the demo with EPIPE.
      child.stdin?.on('error', () => undefined);
      this.#watchdog = child;
    } finally {
      closeSync(log);
    }
  }

  start(spec: ProcessSpec): Running {
    const logPath = join(this.#o.logDir, `${spec.name}.log`);
    const fd = openSync(logPath, 'w');
    writeSync(fd, `# ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        detached: true,
        stdio: ['ignore', fd, fd],
        env: { ...spec.env, [DEMO_TAG_ENV]: this.#o.dataDir },
      });
    } finally {
      closeSync(fd);
    }
    let resolveExit: (s: ExitStatus) => void = () => undefined;
    const running: Running = {
      name: spec.name,
      pid: child.pid ?? -1,
      logPath,
      exit: null,
      exited: new Promise((r) => {
        resolveExit = r;
      }),
    };
    const finish = (status: ExitStatus) => {
      if (running.exit) return;
      running.exit = status;
      resolveExit(status);
      this.#o.onChange([...this.#procs]);
      if (!this.#stopping.has(spec.name)) this.#o.onUnexpectedExit(running, status);
    };
    child.once('exit', (code, signal) => finish({ code, signal }));
    child.once('error', () => finish({ code: 127, signal: null }));
    if (child.pid !== undefined) this.#watchdog?.stdin?.write(`${child.pid}\n`);
    this.#procs.push(running);
    this.#o.onChange([...this.#procs]);
    return running;
  }

  /**
   * Stops the named processes (all when omitted) together: SIGTERM to each group, SIGKILL to
   * groups still alive after the grace period. Resolves when every group is empty.
   */
  async stop(names?: string[]): Promise<void> {
    const targets = this.#procs.filter((p) => names === undefined || names.includes(p.name));
    for (const p of targets) {
      this.#stopping.add(p.name);
      if (p.pid > 0) signalGroup(p.pid, 'SIGTERM');
    }
    const deadline = Date.now() + STOP_GRACE_MS;
    const busy = () => targets.filter((p) => p.pid > 0 && (p.exit === null || groupAlive(p.pid)));
    while (busy().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const p of busy()) signalGroup(p.pid, 'SIGKILL');
    // After SIGKILL the kernel needs a moment to tear the processes down.
    const hard = Date.now() + 3000;
    while (busy().length > 0 && Date.now() < hard) await new Promise((r) => setTimeout(r, 20));
  }

  /** The last resort on a second Ctrl-C: no grace. */
  killAll(): void {
    for (const p of this.#procs) {
      this.#stopping.add(p.name);
      if (p.pid > 0) signalGroup(p.pid, 'SIGKILL');
    }
  }

  /** Lets the watchdog go: it exits once it finds every group it was told about empty. */
  async releaseWatchdog(): Promise<void> {
    const w = this.#watchdog;
    this.#watchdog = null;
    if (!w || w.exitCode !== null || w.signalCode !== null) return;
    const gone = new Promise<void>((r) => w.once('exit', () => r()));
    w.stdin?.end();
    const timer = setTimeout(() => w.kill('SIGKILL'), 8000);
    await gone;
    clearTimeout(timer);
  }
}
