/**
 * The inbound listener: peers' sidecars reach the app here. Connections pass the
 * TransportSecurity (plaintext today; mTLS / PERMISSIVE later), then HTTP/1.1 or h2c is
 * forwarded to the app on appHost:appPort. Records requests with reporter=destination.
 */
import type { ConfigStore } from '../config/store';
import { inboundStack } from '../inbound/stack';
import type { Layer } from '../layers/types';
import type { Logger } from '../logger';
import type { Stats } from '../stats';
import type { RequestSink } from '../telemetry/record';
import type { Tracing } from '../telemetry/tracing';
import { RequestHandler } from './handler';
import { Reporter, type SelfInfo } from './report';
import { type DualServer, serveHttp } from './serve';
import { plaintext, type TransportSecurity } from './transport';

export interface InboundOptions {
  host: string;
  port: number;
  store: ConfigStore;
  self: SelfInfo;
  sinks: RequestSink[];
  stats: Stats;
  logger: Logger;
  security?: TransportSecurity;
  /** Layers run once the caller is known (authorization). */
  policy?: Layer[];
  accessLog?: (line: string) => void;
  tracing?: Tracing;
}

export function startInbound(o: InboundOptions): Promise<DualServer> {
  const handler = new RequestHandler({
    service: inboundStack(o.policy ?? [], o.tracing),
    config: () => o.store.current,
    observer: new Reporter('destination', o.self, o.sinks, o.stats, o.accessLog),
    logger: o.logger,
    absoluteForm: false,
  });
  return serveHttp(o.host, o.port, handler, o.security ?? plaintext, (err) =>
    o.logger.warn('inbound listener error', { error: err.message }),
  );
}
