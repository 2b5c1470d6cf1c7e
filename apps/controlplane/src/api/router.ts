/**
 * A small HTTP router for the control plane's one port. Components add their routes here (the
 * Kubernetes-style API, the console API, Prometheus service discovery, OTLP) instead of running
 * servers of their own.
 *
 * Patterns are paths with `:param` segments and an optional final `*` that takes the rest (one or
 * more segments):
 *   router.get('/apis/:group/:version', handler)
 *   router.post('/v1/traces', handler)
 *   router.get('/ui/*', handler)            // ctx.params['*'] = "a/b/c"
 * When several patterns match, the most specific wins: at the first segment where they differ, a
 * literal beats a `:param`, which beats `*`. A path that matches only under another method
 * answers 405; no match at all answers 404. Handlers may throw StatusError to answer with that
 * Status; anything else thrown becomes a 500 Status (and is logged).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Errors, StatusError } from '../errors';
import { sendStatus } from './http';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Decoded `:param` values, and `*` for the rest of a wildcard route. */
  params: Record<string, string>;
}

export type Handler = (ctx: RouteContext) => void | Promise<void>;

type Segment = { type: 'literal'; value: string } | { type: 'param'; name: string } | { type: 'rest' };

interface Route {
  method: Method;
  pattern: string;
  segments: Segment[];
  handler: Handler;
}

function compile(pattern: string): Segment[] {
  if (!pattern.startsWith('/')) throw new Error(`route pattern must start with "/": ${pattern}`);
  const parts = pattern.split('/').slice(1);
  return parts.map((p, i) => {
    if (p === '*') {
      if (i !== parts.length - 1) throw new Error(`"*" must be the last segment: ${pattern}`);
      return { type: 'rest' };
    }
    if (p.startsWith(':')) return { type: 'param', name: p.slice(1) };
    return { type: 'literal', value: p };
  });
}

/** Per-segment specificity (2 literal, 1 param, 0 rest), compared left to right. */
function score(segments: Segment[]): number[] {
  return segments.map((s) => (s.type === 'literal' ? 2 : s.type === 'param' ? 1 : 0));
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (b[i] ?? -1) - (a[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function match(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const s = segments[i] as Segment;
    if (s.type === 'rest') {
      // "*" takes one or more segments, so "/a/*" does not shadow "/a".
      if (parts.length <= i) return undefined;
      params['*'] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (s.type === 'literal') {
      if (part !== s.value) return undefined;
    } else {
      if (part === '') return undefined;
      try {
        params[s.name] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    }
  }
  return parts.length === segments.length ? params : undefined;
}

export interface RouterOptions {
  /** Where unexpected handler errors are reported. */
  onError?: (err: unknown, req: IncomingMessage) => void;
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly options: RouterOptions = {}) {}

  /** Registers a handler; registering the same method and pattern twice is a programming error. */
  add(method: Method | readonly Method[], pattern: string, handler: Handler): this {
    const segments = compile(pattern);
    for (const m of typeof method === 'string' ? [method] : method) {
      if (this.routes.some((r) => r.method === m && r.pattern === pattern))
        throw new Error(`route already registered: ${m} ${pattern}`);
      this.routes.push({ method: m, pattern, segments, handler });
    }
    this.routes.sort((a, b) => compareScores(score(a.segments), score(b.segments)));
    return this;
  }

  get(pattern: string, handler: Handler): this {
    return this.add('GET', pattern, handler);
  }
  post(pattern: string, handler: Handler): this {
    return this.add('POST', pattern, handler);
  }
  put(pattern: string, handler: Handler): this {
    return this.add('PUT', pattern, handler);
  }
  patch(pattern: string, handler: Handler): this {
    return this.add('PATCH', pattern, handler);
  }
  delete(pattern: string, handler: Handler): this {
    return this.add('DELETE', pattern, handler);
  }

  /** Every registered route, most specific first (for docs and debugging). */
  list(): { method: Method; pattern: string }[] {
    return this.routes.map((r) => ({ method: r.method, pattern: r.pattern }));
  }

  /** Serves one request; always answers (404/405 Status when nothing matches). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.replace(/\/+$/, '').split('/').slice(1);
    if (parts.length === 1 && parts[0] === '') parts.length = 0;
    const method = (req.method ?? 'GET').toUpperCase();
    let pathMatched = false;
    for (const route of this.routes) {
      const params = match(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      // HEAD is answered by the GET handler (node drops the body).
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      try {
        await route.handler({ req, res, url, params });
      } catch (err) {
        if (err instanceof StatusError) sendStatus(res, err.status);
        else {
          this.options.onError?.(err, req);
          sendStatus(res, Errors.internal(err instanceof Error ? err.message : String(err)));
        }
      }
      return;
    }
    sendStatus(
      res,
      pathMatched ? Errors.methodNotAllowed(method, url.pathname) : Errors.pathNotFound(url.pathname),
    );
  }
}
