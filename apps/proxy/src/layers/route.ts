/**
 * Route selection (pure): the virtual host by host:port (exact forms first, then wildcard
 * domains, longest suffix first), then the first route whose matches hold, as Envoy does.
 */
import type { CompiledMatch, CompiledRoute, CompiledVirtualHost, RuntimeConfig } from '../config/compile';
import { rawHeader } from '../http/headers';
import { LocalReply } from '../upstream/outcome';
import type { Layer } from './types';

/** Normalised lookup key: lowercase host with port (80 when the client named none). */
export function hostKey(authority: string): string {
  const a = authority.toLowerCase();
  const close = a.lastIndexOf(']');
  const colon = a.lastIndexOf(':');
  return colon > close ? a : `${a}:80`;
}

export function selectVirtualHost(cfg: RuntimeConfig, authority: string): CompiledVirtualHost | null {
  const key = hostKey(authority);
  const exact = cfg.hosts.get(key);
  if (exact !== undefined) return exact;
  if (cfg.wildcards.length === 0) return null;
  const colon = key.lastIndexOf(':');
  const host = key.slice(0, colon);
  const port = Number(key.slice(colon + 1));
  for (const w of cfg.wildcards) if (w.port === port && host.endsWith(w.suffix)) return w.vhost;
  return null;
}

export interface RouteRequest {
  method: string;
  /** Path with query. */
  path: string;
  rawHeaders: readonly string[];
}

/** Index of the first route that matches and which of its matches held; null when none. */
export function selectRoute(
  routes: readonly CompiledRoute[],
  req: RouteRequest,
): { route: CompiledRoute; matchIndex: number } | null {
  const q = req.path.indexOf('?');
  const path = q < 0 ? req.path : req.path.slice(0, q);
  let lower: string | null = null;
  let query: URLSearchParams | null = null;
  for (const route of routes) {
    if (route.matches.length === 0) return { route, matchIndex: -1 };
    if (route.needsQuery && query === null) query = new URLSearchParams(q < 0 ? '' : req.path.slice(q + 1));
    for (let i = 0; i < route.matches.length; i++) {
      const m = route.matches[i]!;
      if (m.ignoreUriCase && lower === null) lower = path.toLowerCase();
      if (matches(m, req, m.ignoreUriCase ? lower! : path, query)) return { route, matchIndex: i };
    }
  }
  return null;
}

function matches(m: CompiledMatch, req: RouteRequest, path: string, query: URLSearchParams | null): boolean {
  if (m.uri !== null && !m.uri.test(path)) return false;
  if (m.method !== null && !m.method.test(req.method)) return false;
  for (const h of m.headers) {
    const v = rawHeader(req.rawHeaders, h.name);
    const hit = v !== undefined && h.matcher.test(v);
    if (hit === h.invert) return false;
  }
  for (const p of m.query) {
    const v = query!.get(p.name);
    if (v === null || !p.matcher.test(v)) return false;
  }
  return true;
}

export function noRoute(authority: string, what: 'host' | 'route', path: string): LocalReply {
  const body =
    what === 'host'
      ? `no route to host ${authority}: no service in the mesh answers to that name and port\n`
      : `no route matched ${path} on host ${authority}\n`;
  return new LocalReply(404, 'NR', body);
}

/** Outermost: every later layer needs the route; direct responses are answered here. */
export const routeLayer: Layer = (next) => (call) => {
  const vh = selectVirtualHost(call.config, call.ex.authority);
  if (vh === null) return Promise.resolve(noRoute(call.ex.authority, 'host', call.ex.path));
  call.vhost = vh;
  const hit = selectRoute(vh.routes, call.ex);
  if (hit === null) return Promise.resolve(noRoute(call.ex.authority, 'route', call.ex.path));
  call.route = hit.route;
  call.matchIndex = hit.matchIndex;
  const a = hit.route.action;
  if (a.type === 'direct') return Promise.resolve(new LocalReply(a.status, null, a.body));
  call.action = a;
  return next(call);
};
