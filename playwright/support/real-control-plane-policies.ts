/**
 * A real `trellis controlplane` (fresh data dir, its own ports) with a console in front of it, for
 * browser tests that WRITE: what the page applies must land in the control plane's store, so the
 * tests read it back through the control plane's API rather than trusting the page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_DIR, freePort, type Proc, ROOT, start, waitForHttp } from './processes';

const TRELLIS = join(ROOT, 'apps/cli/bin/trellis.mjs');
const NEXT_BIN = join(ROOT, 'node_modules/next/dist/bin/next');

export interface RealStack {
  /** The control plane's HTTP API, e.g. http://127.0.0.1:PORT. */
  apiUrl: string;
  consoleUrl: string;
  /** Starts another console on the same control plane with extra environment (e.g. a viewer role). */
  startConsole(env: NodeJS.ProcessEnv): Promise<string>;
  stop(): Promise<void>;
}

async function consoleFor(apiUrl: string, env: NodeJS.ProcessEnv): Promise<{ url: string; proc: Proc }> {
  const port = await freePort();
  const proc = start(
    'console',
    process.execPath,
    [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'],
    {
      cwd: CONSOLE_DIR,
      env: { TRELLIS_API_URL: apiUrl, ...env },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(proc, `${url}/api/me`, 60_000))) {
    await proc.stop();
    throw new Error(`the console did not start:\n${proc.output()}`);
  }
  return { url, proc };
}

export async function startRealStack(): Promise<RealStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-pw-policies-'));
  const procs: Proc[] = [];
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const [port, grpcPort] = [await freePort(), await freePort()];
    const cp = start(
      'controlplane',
      process.execPath,
      [
        TRELLIS,
        'controlplane',
        '--data-dir',
        dataDir,
        '--port',
        String(port),
        '--grpc-port',
        String(grpcPort),
      ],
      {},
    );
    procs.push(cp);
    const apiUrl = `http://127.0.0.1:${port}`;
    // /readyz answers 503 until every component has started; waitForHttp waits for < 500.
    if (!(await waitForHttp(cp, `${apiUrl}/readyz`, 60_000)))
      throw new Error(`the control plane did not become ready:\n${cp.output()}`);
    const first = await consoleFor(apiUrl, {});
    procs.push(first.proc);
    return {
      apiUrl,
      consoleUrl: first.url,
      async startConsole(env) {
        const other = await consoleFor(apiUrl, env);
        procs.push(other.proc);
        return other.url;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
