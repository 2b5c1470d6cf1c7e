import { Agent, type Dispatcher, Pool } from 'undici';

/** Bookinfo services listen on 9080, and peers reach them by service name on that port. */
export const BOOKINFO_PORT = 9080;

/**
 * How a service reaches its peers. In the mesh every call goes to the sidecar's outbound
 * listener as an absolute-form request (`GET http://reviews:9080/reviews/0`), which routes by
 * the name; without a sidecar (tests, debugging) a host map says where each name listens.
 */
export type Outbound =
  | { kind: 'proxy'; proxyUrl: URL }
  | { kind: 'direct'; hosts: ReadonlyMap<string, string> };

export type CallResult =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'http-error'; status: number }
  | { kind: 'failed'; reason: 'timeout' | 'unreachable' | 'invalid-json'; message: string };

export class OutboundConfigError extends Error {
  override name = 'OutboundConfigError';
}

/** `reviews=127.0.0.1:4001,ratings=127.0.0.1:4002` → map of service name to host:port. */
export function parseHostMap(spec: string): Map<string, string> {
  const hosts = new Map<string, string>();
  for (const entry of spec.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const [name, address] = trimmed.split('=');
    if (!name || !address || !/^[^:]+:\d+$/.test(address))
      throw new OutboundConfigError(`BOOKINFO_HOSTS entry "${trimmed}": expected NAME=HOST:PORT`);
    hosts.set(name, address);
  }
  return hosts;
}

/** HTTP_PROXY wins (the mesh); otherwise BOOKINFO_HOSTS; otherwise plain DNS names. */
export function outboundFromEnv(env: NodeJS.ProcessEnv): Outbound {
  const proxy = env.HTTP_PROXY ?? env.http_proxy;
  if (proxy) {
    let proxyUrl: URL;
    try {
      proxyUrl = new URL(proxy);
    } catch {
      throw new OutboundConfigError(`HTTP_PROXY "${proxy}" is not a URL (expected http://127.0.0.1:PORT)`);
    }
    if (proxyUrl.protocol !== 'http:')
      throw new OutboundConfigError(`HTTP_PROXY "${proxy}": only http:// proxies are supported`);
    return { kind: 'proxy', proxyUrl };
  }
  return { kind: 'direct', hosts: parseHostMap(env.BOOKINFO_HOSTS ?? '') };
}

/** Like Bookinfo: SERVICES_DOMAIN appends a domain, <NAME>_HOSTNAME renames a peer. */
export function peerAuthority(service: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[`${service.toUpperCase()}_HOSTNAME`];
  const domain = env.SERVICES_DOMAIN ? `.${env.SERVICES_DOMAIN}` : '';
  return `${override ?? service}${domain}:${BOOKINFO_PORT}`;
}

/** Keep-alive client for calls to peers; one per service process. */
export class Upstream {
  readonly #outbound: Outbound;
  readonly #dispatcher: Dispatcher;
  readonly #env: NodeJS.ProcessEnv;

  constructor(outbound: Outbound, env: NodeJS.ProcessEnv = process.env) {
    this.#outbound = outbound;
    this.#env = env;
    this.#dispatcher =
      outbound.kind === 'proxy'
        ? new Pool(outbound.proxyUrl.origin, { connections: 32 })
        : new Agent({ connections: 32 });
  }

  /** GET a peer's JSON. Never throws: a failure is a value the page renders, as in Bookinfo. */
  async getJson(
    service: string,
    path: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<CallResult> {
    const authority = peerAuthority(service, this.#env);
    const signal = AbortSignal.timeout(timeoutMs);
    const target = this.#target(service, authority, path);
    try {
      const res = await this.#dispatcher.request({
        origin: target.origin,
        path: target.path,
        method: 'GET',
        headers: { ...headers, host: authority, accept: 'application/json' },
        signal,
      });
      if (res.statusCode < 200 || res.statusCode > 299) {
        await res.body.dump();
        return { kind: 'http-error', status: res.statusCode };
      }
      const text = await res.body.text();
      try {
        return { kind: 'ok', status: res.statusCode, body: JSON.parse(text) };
      } catch (err) {
        return { kind: 'failed', reason: 'invalid-json', message: (err as Error).message };
      }
    } catch (err) {
      if (signal.aborted)
        return { kind: 'failed', reason: 'timeout', message: `${service} did not answer in ${timeoutMs} ms` };
      return { kind: 'failed', reason: 'unreachable', message: (err as Error).message };
    }
  }

  #target(service: string, authority: string, path: string): { origin: string; path: string } {
    switch (this.#outbound.kind) {
      case 'proxy':
        // Absolute form: the sidecar reads the destination from the request line.
        return { origin: this.#outbound.proxyUrl.origin, path: `http://${authority}${path}` };
      case 'direct': {
        const mapped = this.#outbound.hosts.get(service);
        return { origin: `http://${mapped ?? authority}`, path };
      }
    }
  }

  close(): Promise<void> {
    return this.#dispatcher.close();
  }
}
