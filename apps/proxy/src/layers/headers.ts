/**
 * Route-level header operations. Compiled with the config; the request side is applied in the
 * single pass that builds the upstream header list (layers/upstream.ts), the response side when
 * the listener writes the head, so no layer copies headers.
 */
import type { Layer } from './types';

export const headersLayer: Layer = (next) => (call) => {
  call.routeOps = call.action!.request;
  return next(call);
};
