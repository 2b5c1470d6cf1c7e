/**
 * HTTPRewrite: after matching (matches see the original request), before the upstream request is
 * built. A prefix match rewrites only the matched prefix (Envoy prefix_rewrite); otherwise the
 * whole path is replaced and the query kept.
 */
import type { CompiledMatch } from '../config/compile';
import type { Layer } from './types';

export function rewritePath(path: string, match: CompiledMatch | undefined, uri: string): string {
  if (match && match.uriPrefixLength >= 0) return uri + path.slice(match.uriPrefixLength);
  const q = path.indexOf('?');
  return q < 0 ? uri : uri + path.slice(q);
}

export const rewriteLayer: Layer = (next) => (call) => {
  const a = call.action!;
  if (a.rewriteUri !== null)
    call.path = rewritePath(call.path, call.route!.matches[call.matchIndex], a.rewriteUri);
  if (a.rewriteAuthority !== null) call.authority = a.rewriteAuthority;
  return next(call);
};
