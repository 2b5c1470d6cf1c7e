/**
 * The innermost service: one try to one endpoint over a pooled connection. HTTP/2 upstream when
 * the cluster is HTTP2/GRPC or the client spoke HTTP/2 (so gRPC works on ports not declared
 * grpc), HTTP/1.1 otherwise.
 */
import type { Call } from '../http/call';
import { h2RequestHeaders, NO_OPS, rawHeader, SOURCE_HEADER, upstreamRequestHeaders } from '../http/headers';
import { replaceTraceHeaders } from '../telemetry/trace-headers';
import { type Outcome, UpstreamResponse } from '../upstream/outcome';

export function upstreamHeaders(call: Call): string[] {
  let h = call.upstreamHeaders;
  if (h === null) {
    h = upstreamRequestHeaders(
      call.ex.rawHeaders,
      call.routeOps,
      call.destination?.request ?? NO_OPS,
      call.authority,
      call.sourceHeader !== null ? SOURCE_HEADER : null,
      call.sourceHeader ?? '',
    );
    call.upstreamHeaders = h;
  }
  return h;
}

export function upstreamService(call: Call): Promise<Outcome> {
  const ep = call.endpoint!;
  const c = call.cluster!;
  // Tracing gives each try its own span context (telemetry/trace-layers.ts).
  const headers =
    call.tryHeaders === null
      ? upstreamHeaders(call)
      : replaceTraceHeaders(upstreamHeaders(call), call.tryHeaders);
  const res = new UpstreamResponse(c.name);
  call.inflight = res;
  if (call.upstreamH2) {
    const te = rawHeader(call.ex.rawHeaders, 'te');
    const h2 = h2RequestHeaders(headers, call.ex.method, call.path, te?.includes('trailers') === true);
    const t = ep.state.http2(c.limits.maxRequestsPerConnection, ep);
    if (t.secure) call.mtls = true;
    t.dispatch(h2, call.ex.body, res);
  } else {
    // The endpoint's tlsMode/principal pick a plaintext or an mTLS pool (cluster/state.ts).
    const t = ep.state.http1(c.poolLimits, ep);
    // Outbound: the request went over mTLS. (Inbound keeps what the listener said about the peer.)
    if (t.secure) call.mtls = true;
    t.dispatch(call.ex.method, call.path, headers, call.ex.body, res);
  }
  return res.promise;
}
