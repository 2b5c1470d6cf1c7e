/** The inbound request path: a peer's request to the app behind this sidecar, one layer a line. */
import { peerIdentityLayer } from '../layers/identity';
import { localAppLayer } from '../layers/local-app';
import { type Layer, type Service, stack } from '../layers/types';
import { upstreamService } from '../layers/upstream';
import { serverSpanLayer } from '../telemetry/trace-layers';
import type { Tracing } from '../telemetry/tracing';

/** `policy`: layers that need the caller's identity, e.g. authorization (see docs/proxy.md). */
export function inboundStack(policy: readonly Layer[] = [], tracing?: Tracing): Service {
  // biome-ignore format: one layer a line, outermost first
  return stack([
    serverSpanLayer(tracing),  // the server span covers all the sidecar does, and the app gets its context
    peerIdentityLayer,         // who is calling: the mTLS peer when there is one, else the source header
    ...policy,                 // policy decisions need the caller, and must run before the app sees anything
    localAppLayer,             // the only destination: the app on appHost:appPort, same protocol as the peer
  ], upstreamService);
}
