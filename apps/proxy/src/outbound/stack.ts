/** The outbound request path: the app's request to another service, one layer a line. */
import { balanceLayer } from '../layers/balance';
import { circuitBreakerLayer } from '../layers/circuit-breaker';
import { faultLayer } from '../layers/fault';
import { headersLayer } from '../layers/headers';
import { sourceIdentityLayer } from '../layers/identity';
import { mirrorLayer } from '../layers/mirror';
import { outlierLayer } from '../layers/outlier';
import { retryLayer } from '../layers/retry';
import { rewriteLayer } from '../layers/rewrite';
import { routeLayer } from '../layers/route';
import { splitLayer } from '../layers/split';
import { timeoutLayer } from '../layers/timeout';
import { type Service, stack } from '../layers/types';
import { upstreamService } from '../layers/upstream';
import type { PeerInfo } from '../telemetry/record';
import { clientTryLayer, outboundTraceLayer } from '../telemetry/trace-layers';
import type { Tracing } from '../telemetry/tracing';

export function outboundStack(self: PeerInfo, tracing?: Tracing): Service {
  // biome-ignore format: one layer a line, outermost first
  return stack([
    outboundTraceLayer(tracing), // reads the app's trace context and decides sampling once, before anything can answer
    routeLayer,                // every layer below needs the route; NR and direct responses end here
    sourceIdentityLayer(self), // the destination sidecar learns who calls, whatever happens below
    faultLayer,                // outside the timeout: Envoy's fault filter runs before the router, so injected delay is not timed
    timeoutLayer,              // the route timeout spans every try and the back-off between them
    rewriteLayer,              // after matching (matches saw the original path and host), before anything is sent
    headersLayer,              // route header operations, applied once when the upstream request is built
    mirrorLayer,               // copies the request as the upstream will see it; once per request, not per try
    splitLayer,                // one weighted pick per request, so retries stay within the chosen subset
    retryLayer,                // every layer below runs again for each try
    clientTryLayer(tracing),   // one client span per try, so retries show in the trace
    circuitBreakerLayer,       // each try needs a connection slot of the cluster (503 UO when full)
    balanceLayer,              // then a healthy endpoint (503 UH when none), avoiding the previous try's
    outlierLayer,              // sees exactly one try's result for one endpoint
  ], upstreamService);
}
