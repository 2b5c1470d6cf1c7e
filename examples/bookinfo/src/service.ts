import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { detailsHandler } from './details';
import type { Handler } from './http-util';
import { sendJson } from './http-util';
import { productpageHandler } from './productpage';
import { ratingsHandler } from './ratings';
import { reviewsFlavour, reviewsHandler } from './reviews';
import { type Outbound, Upstream } from './upstream';

export const SERVICE_NAMES = ['productpage', 'details', 'reviews', 'ratings'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

export interface ServiceOptions {
  service: ServiceName;
  version: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  outbound: Outbound;
  env?: NodeJS.ProcessEnv;
}

export interface RunningService {
  service: ServiceName;
  version: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

function handlerFor(opts: ServiceOptions, upstream: Upstream): Handler {
  const env = opts.env ?? process.env;
  switch (opts.service) {
    case 'productpage':
      return productpageHandler({ upstream, sessionSecret: env.BOOKINFO_SESSION_SECRET });
    case 'details':
      return detailsHandler();
    case 'reviews':
      return reviewsHandler({
        flavour: reviewsFlavour(opts.version, env),
        upstream,
        // Bookinfo shows the pod name; on one machine the workload name says which version answered.
        podName: env.POD_NAME ?? `reviews-${opts.version}-${hostname()}`,
      });
    case 'ratings':
      return ratingsHandler();
  }
}

export async function startService(opts: ServiceOptions): Promise<RunningService> {
  const upstream = new Upstream(opts.outbound, opts.env ?? process.env);
  const handler = handlerFor(opts, upstream);
  const server: Server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: (err as Error).message });
      else res.destroy();
    });
  });
  // The sidecar keeps connections to the app open; outlive its idle timeout to avoid races.
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    service: opts.service,
    version: opts.version,
    port,
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await upstream.close();
    },
  };
}
