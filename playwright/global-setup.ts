// Starts what the browser tests need and hands their URLs to the tests through the environment:
//   TRELLIS_STUB_URL / TRELLIS_CONSOLE_URL   a stub control plane and a console in front of it
//   TRELLIS_REAL_CONSOLE_URL                 a console in front of a real `trellis controlplane`,
//                                            when that command can start (else TRELLIS_REAL_SKIP says why)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureConsoleBuild,
  freePort,
  type Proc,
  ROOT,
  start,
  startConsole,
  waitForHttp,
} from './support/processes';
import { startStubControlPlane } from './support/stub-control-plane';

async function startRealControlPlane(
  dataDir: string,
): Promise<{ url: string; proc: Proc } | { skip: string }> {
  const [port, grpcPort] = [await freePort(), await freePort()];
  const proc = start(
    'controlplane',
    process.execPath,
    [
      join(ROOT, 'apps/cli/bin/trellis.mjs'),
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
  const url = `http://127.0.0.1:${port}`;
  if (await waitForHttp(proc, `${url}/healthz`, 30_000)) return { url, proc };
  await proc.stop();
  const said = proc.output().trim().split('\n').slice(-3).join(' ');
  return { skip: `trellis controlplane did not become ready (${said || 'no output'})` };
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureConsoleBuild();
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-pw-'));
  const stub = await startStubControlPlane();
  const procs: Proc[] = [];
  const teardown = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await stub.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const stubbed = await startConsole(stub.url);
    procs.push(stubbed.proc);
    process.env.TRELLIS_STUB_URL = stub.url;
    process.env.TRELLIS_CONSOLE_URL = stubbed.url;

    const real = await startRealControlPlane(dataDir);
    if ('skip' in real) {
      process.env.TRELLIS_REAL_SKIP = real.skip;
    } else {
      procs.push(real.proc);
      const console_ = await startConsole(real.url);
      procs.push(console_.proc);
      process.env.TRELLIS_REAL_CONSOLE_URL = console_.url;
    }
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
