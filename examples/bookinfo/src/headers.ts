import type { IncomingHttpHeaders } from 'node:http';

/**
 * Headers every Bookinfo service copies from its inbound request onto its outbound calls, the
 * set Istio's Bookinfo propagates (productpage.py, reviews' LibertyRestEndpoint). The sidecars
 * start and continue the trace, but only the app knows which inbound request caused which
 * outbound call, so spans join into one trace only if these are forwarded.
 */
export const PROPAGATED_HEADERS = [
  // Istio's access logs and consistent sampling key on it.
  'x-request-id',
  // W3C Trace Context: what the Trellis sidecars emit.
  'traceparent',
  'tracestate',
  // B3 (Zipkin), multi- and single-header forms.
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-ot-span-context',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-datadog-sampling-priority',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'sw8',
  // Header-based routing in the Istio tasks matches on end-user (set by productpage from the session).
  'end-user',
  'user-agent',
  'cookie',
  'authorization',
  'jwt',
] as const;

export function forwardHeaders(incoming: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PROPAGATED_HEADERS) {
    const value = incoming[name];
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(', ');
  }
  return out;
}
