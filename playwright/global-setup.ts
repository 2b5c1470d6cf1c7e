// Starts what the stubbed browser tests need and hands their URLs to them through the environment:
// TRELLIS_STUB_URL and TRELLIS_CONSOLE_URL, a stub control plane (a test double,
// support/stub-control-plane.ts, that drives the console's states on demand) and a console in
// front of it. tests/demo.spec.ts checks the console against the real, running demo instead.
import { ensureConsoleBuild, type Proc, startConsole } from './support/processes';
import { startStubControlPlane } from './support/stub-control-plane';

export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureConsoleBuild();
  const stub = await startStubControlPlane();
  const procs: Proc[] = [];
  const teardown = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await stub.close();
  };
  try {
    const stubbed = await startConsole(stub.url);
    procs.push(stubbed.proc);
    process.env.TRELLIS_STUB_URL = stub.url;
    process.env.TRELLIS_CONSOLE_URL = stubbed.url;
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
