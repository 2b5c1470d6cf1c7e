/**
 * The request path as composed layers (linkerd2-proxy's stack, tower's Layer/Service): a Service
 * turns a call into an outcome; a Layer wraps a Service. Stacks are built once at start-up, so
 * the closures here are per process, not per request.
 */
import type { Call } from '../http/call';
import type { Outcome } from '../upstream/outcome';

export type Service = (call: Call) => Promise<Outcome>;
export type Layer = (next: Service) => Service;

/** Apply layers outermost first: stack([a, b, c], svc) = a(b(c(svc))). */
export function stack(layers: readonly Layer[], inner: Service): Service {
  let s = inner;
  for (let i = layers.length - 1; i >= 0; i--) s = layers[i]!(s);
  return s;
}
