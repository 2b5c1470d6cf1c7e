/**
 * Readiness probes: plain node:http without keep-alive, so a finished probe leaves no socket
 * that would keep `trellis demo` alive after it stops.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET (absolute-form when `proxyPort` is given, as an app with HTTP_PROXY sends it). */
export function httpGet(
  url: string,
  o: { timeoutMs?: number; proxyPort?: number; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: o.proxyPort ?? Number(target.port || 80),
        path: o.proxyPort ? target.href : `${target.pathname}${target.search}`,
        headers: { host: target.host, ...o.headers },
        agent: false,
        timeout: o.timeoutMs ?? 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          // Only the start matters to a probe; keep memory bounded on big pages.
          if (body.length < 200_000) body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${o.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export type ProbeResult = { ok: true } | { ok: false; reason: string };

export class ProbeAborted extends Error {
  override name = 'ProbeAborted';
}

/**
 * Polls `check` until it passes. Gives up when `failed()` names a reason (the process died), the
 * signal aborts, or the deadline passes; the last reason goes into the error.
 */
export async function waitUntil(
  check: () => Promise<ProbeResult>,
  o: { timeoutMs: number; everyMs?: number; failed?: () => string | null; signal?: AbortSignal },
): Promise<ProbeResult> {
  const deadline = Date.now() + o.timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    if (o.signal?.aborted) throw new ProbeAborted('interrupted');
    const dead = o.failed?.();
    if (dead) return { ok: false, reason: dead };
    try {
      const r = await check();
      if (r.ok) return r;
      last = r.reason;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline)
      return { ok: false, reason: `not ready after ${Math.round(o.timeoutMs / 1000)} s (${last})` };
    await new Promise((r) => setTimeout(r, o.everyMs ?? 250));
  }
}

/** 200 from `url`, and `contains` in the body when given. */
export function httpOk(url: string, contains?: string): () => Promise<ProbeResult> {
  return async () => {
    const r = await httpGet(url, { timeoutMs: 3000 });
    if (r.status !== 200) return { ok: false, reason: `${url} answered ${r.status}` };
    if (contains !== undefined && !r.body.includes(contains))
      return { ok: false, reason: `${url} does not show "${contains}" yet` };
    return { ok: true };
  };
}

/** Resolves with the ports (of those given) that something on 127.0.0.1 already listens on. */
export async function portsInUse(ports: number[]): Promise<number[]> {
  const busy: number[] = [];
  await Promise.all(
    ports.map(
      (port) =>
        new Promise<void>((resolve) => {
          const s = createServer();
          s.once('error', () => {
            busy.push(port);
            resolve();
          });
          s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
        }),
    ),
  );
  return busy.sort((a, b) => a - b);
}
