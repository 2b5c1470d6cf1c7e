import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { reservePort } from '@trellis/testkit';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface Spawned {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** One Bookinfo service as a real process on a free port; resolves once it prints its address. */
export function spawnService(
  service: string,
  version: string,
  env: Record<string, string> = {},
): Promise<Spawned> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--service', service, '--version', version, '--port', '0'],
    {
      // No inherited proxy: these tests run the services without a sidecar.
      env: { ...process.env, HTTP_PROXY: '', http_proxy: '', BOOKINFO_HOSTS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${service} ${version} did not start in 30 s: ${out}${err}`));
    }, 30_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, port: Number(m[2]), stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${service} ${version} exited with ${code}: ${out}${err}`));
    });
  });
}

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A stand-in peer that records what it was sent and answers with `reply`. */
export async function recorder(
  reply: (req: Recorded) => { status: number; body: unknown },
): Promise<{ address: string; seen: Recorded[]; close(): Promise<void>; server: Server }> {
  const seen: Recorded[] = [];
  const server = createServer((req, res) => {
    const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    seen.push(rec);
    const { status, body } = reply(rec);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    seen,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/**
 * A port nothing listens on: claimed for this test process outside the ephemeral range, so no
 * other test's listener or outgoing connection takes it meanwhile.
 */
export function closedPort(): Promise<number> {
  return reservePort();
}

export function countStars(html: string): { full: number; empty: number; colors: string[] } {
  return {
    full: (html.match(/glyphicon-star"/g) ?? []).length,
    empty: (html.match(/glyphicon-star-empty"/g) ?? []).length,
    colors: [...html.matchAll(/data-color="(\w+)"/g)].map((m) => m[1]!),
  };
}
