/**
 * The outbound listener: where the app's requests to other services arrive, either as an HTTP
 * proxy (HTTP_PROXY, absolute-form "GET http://reviews:9080/x") or transparently (origin-form,
 * routed by Host), over HTTP/1.1 keep-alive or h2c.
 */
import type { ConfigStore } from '../config/store';
import type { Logger } from '../logger';
import { outboundStack } from '../outbound/stack';
import type { Stats } from '../stats';
import type { RequestSink } from '../telemetry/record';
import type { Tracing } from '../telemetry/tracing';
import { RequestHandler } from './handler';
import { Reporter, type SelfInfo } from './report';
import { type DualServer, serveHttp } from './serve';
import { plaintext } from './transport';

export interface OutboundOptions {
  host: string;
  port: number;
  store: ConfigStore;
  self: SelfInfo;
  sinks: RequestSink[];
  stats: Stats;
  logger: Logger;
  accessLog?: (line: string) => void;
  tracing?: Tracing;
}

export function startOutbound(o: OutboundOptions): Promise<DualServer> {
  const handler = new RequestHandler({
    service: outboundStack(o.self.peer, o.tracing),
    // Before the first config there are no routes: say so (503) rather than 404 every host.
    config: () => (o.store.ready ? o.store.current : null),
    observer: new Reporter('source', o.self, o.sinks, o.stats, o.accessLog),
    logger: o.logger,
    absoluteForm: true,
  });
  // The app talks to its own sidecar in plaintext: transport security applies between sidecars.
  return serveHttp(o.host, o.port, handler, plaintext, (err) =>
    o.logger.warn('outbound listener error', { error: err.message }),
  );
}
