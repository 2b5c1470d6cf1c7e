/**
 * The tracing layers. Each is a no-op pass-through when the proxy runs without tracing, and
 * costs one header scan per request when the request is not sampled.
 */
import type { Layer } from '../layers/types';
import type { Tracing } from './tracing';

const passThrough: Layer = (next) => next;

/**
 * Inbound, outermost: the server span covers everything the sidecar does for the request,
 * and its context is what the app receives (so the app's spans are its children).
 */
export function serverSpanLayer(tracing: Tracing | undefined): Layer {
  if (!tracing) return passThrough;
  return (next) => (call) => {
    const t = tracing.begin(call, 'inbound');
    if (t !== null) {
      call.trace = t;
      call.tryHeaders = t.sampled ? t.startServer(call) : t.unsampledHeaders;
    }
    return next(call);
  };
}

/**
 * Outbound, outermost: reads the app's context and decides sampling once per request, so every
 * try below shares the decision and the parent.
 */
export function outboundTraceLayer(tracing: Tracing | undefined): Layer {
  if (!tracing) return passThrough;
  return (next) => (call) => {
    const t = tracing.begin(call, 'outbound');
    if (t !== null) {
      call.trace = t;
      if (!t.sampled) call.tryHeaders = t.unsampledHeaders;
    }
    return next(call);
  };
}

/**
 * Outbound, directly inside the retry layer: one client span per try, so a retried request
 * shows one span per attempt under the same parent.
 */
export function clientTryLayer(tracing: Tracing | undefined): Layer {
  if (!tracing) return passThrough;
  return (next) => async (call) => {
    const t = call.trace;
    if (t === null || !t.sampled) return next(call);
    call.tryHeaders = t.startTry(call);
    const o = await next(call);
    t.tryOutcome(call, o);
    return o;
  };
}
