/**
 * Inbound's only destination: the app behind this sidecar (127.0.0.1:appPort), spoken to in the
 * protocol the peer used (h2c in, h2c out; so a gRPC app gets HTTP/2).
 */
import type { Layer } from './types';

export const localAppLayer: Layer = (next) => (call) => {
  const c = call.config.inboundCluster;
  call.cluster = c;
  call.endpoint = c.endpoints[0]!;
  call.upstreamH2 = call.ex.protocol === 'h2';
  return next(call);
};
