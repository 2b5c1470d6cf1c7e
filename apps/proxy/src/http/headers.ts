/**
 * Header plumbing shared by both directions. Headers travel as flat [name, value, ...] arrays
 * (Node's rawHeaders shape) so the request path builds no per-request objects for HTTP/1.1.
 */

import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderOperations } from '@trellis/shared';

/** RFC 9110 §7.6.1 connection-specific fields, plus the legacy ones proxies must drop. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Carries the calling workload's identity to the destination sidecar (stripped there). */
export const SOURCE_HEADER = 'x-trellis-source';

export interface CompiledHeaderOps {
  /** Lowercased names dropped from the incoming set: remove[] plus every set[] name. */
  drop: ReadonlySet<string>;
  /** Flat [name, value, ...] appended after filtering: set then add. */
  append: readonly string[];
}

export const NO_OPS: CompiledHeaderOps = { drop: new Set(), append: [] };

export function compileHeaderOps(ops: HeaderOperations | undefined): CompiledHeaderOps {
  if (!ops) return NO_OPS;
  const drop = new Set<string>();
  const append: string[] = [];
  for (const n of ops.remove ?? []) drop.add(n.toLowerCase());
  for (const [n, v] of Object.entries(ops.set ?? {})) {
    drop.add(n.toLowerCase());
    append.push(n.toLowerCase(), v);
  }
  for (const [n, v] of Object.entries(ops.add ?? {})) append.push(n.toLowerCase(), v);
  if (drop.size === 0 && append.length === 0) return NO_OPS;
  return { drop, append };
}

/** First value of a header in a flat raw list, case-insensitively; undefined when absent. */
export function rawHeader(raw: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const n = raw[i]!;
    if (n.length === lowerName.length && (n === lowerName || n.toLowerCase() === lowerName))
      return raw[i + 1];
  }
  return undefined;
}

/**
 * The request headers sent upstream: hop-by-hop and framing fields dropped (the client library
 * frames the body itself), header operations applied, Host set to the (possibly rewritten)
 * authority, and `extra` appended (the source identity header).
 */
export function upstreamRequestHeaders(
  raw: readonly string[],
  a: CompiledHeaderOps,
  b: CompiledHeaderOps,
  authority: string,
  extraName: string | null,
  extraValue: string,
): string[] {
  const out: string[] = ['host', authority];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (
      HOP_BY_HOP.has(name) ||
      name === 'host' ||
      name === 'content-length' ||
      name === SOURCE_HEADER ||
      name === 'expect' ||
      a.drop.has(name) ||
      b.drop.has(name)
    )
      continue;
    out.push(name, raw[i + 1]!);
  }
  for (let i = 0; i < a.append.length; i++) out.push(a.append[i]!);
  for (let i = 0; i < b.append.length; i++) out.push(b.append[i]!);
  if (extraName !== null) out.push(extraName, extraValue);
  return out;
}

/** Flat lowercase list → HTTP/2 header object with pseudo-headers; keeps `te: trailers` (gRPC needs it). */
export function h2RequestHeaders(
  flat: readonly string[],
  method: string,
  path: string,
  grpcTe: boolean,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { ':method': method, ':path': path, ':scheme': 'http' };
  for (let i = 0; i < flat.length; i += 2) {
    const n = flat[i]!;
    const v = flat[i + 1]!;
    if (n === 'host') {
      out[':authority'] = v;
      continue;
    }
    const prev = out[n];
    if (prev === undefined) out[n] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[n] = [prev, v];
  }
  if (grpcTe) out.te = 'trailers';
  return out;
}

type HeaderValue = string | string[] | number | undefined;

/** Upstream response headers → flat list for an HTTP/1.1 downstream, with response operations applied. */
export function downstreamHeadersH1(
  headers: Record<string, HeaderValue>,
  a: CompiledHeaderOps,
  b: CompiledHeaderOps,
): string[] {
  const out: string[] = [];
  for (const name in headers) {
    if (name.charCodeAt(0) === 58 /* ':' */ || HOP_BY_HOP.has(name) || a.drop.has(name) || b.drop.has(name))
      continue;
    const v = headers[name];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push(name, x);
    else out.push(name, String(v));
  }
  for (let i = 0; i < a.append.length; i++) out.push(a.append[i]!);
  for (let i = 0; i < b.append.length; i++) out.push(b.append[i]!);
  return out;
}

/** Upstream response headers → HTTP/2 header object (connection-specific fields are illegal in h2). */
export function downstreamHeadersH2(
  status: number,
  headers: Record<string, HeaderValue>,
  a: CompiledHeaderOps,
  b: CompiledHeaderOps,
): Record<string, string | string[] | number> {
  const out: Record<string, string | string[] | number> = { ':status': status };
  for (const name in headers) {
    if (name.charCodeAt(0) === 58 || HOP_BY_HOP.has(name) || a.drop.has(name) || b.drop.has(name)) continue;
    const v = headers[name];
    if (v !== undefined) out[name] = Array.isArray(v) ? v : String(v);
  }
  appendTo(out, a.append);
  appendTo(out, b.append);
  return out;
}

function appendTo(out: Record<string, string | string[] | number>, flat: readonly string[]): void {
  for (let i = 0; i < flat.length; i += 2) {
    const n = flat[i]!;
    const v = flat[i + 1]!;
    const prev = out[n];
    if (prev === undefined) out[n] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[n] = [String(prev), v];
  }
}

/** HTTP/2 request header object (minus pseudo-headers) → flat list, for a uniform request model. */
export function flattenH2Headers(h: IncomingHttpHeaders): string[] {
  const out: string[] = [];
  for (const name in h) {
    if (name.charCodeAt(0) === 58) continue;
    const v = h[name];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push(name, x);
    else out.push(name, v);
  }
  return out;
}
