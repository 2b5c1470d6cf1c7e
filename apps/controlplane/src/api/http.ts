/**
 * The HTTP plumbing every API handler shares: bodies in (JSON or YAML, size-capped), JSON out,
 * Status errors, and Kubernetes warning headers. Nothing here knows about resources.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { Errors, type Status, StatusError } from '../errors';
import type { JsonValue } from '../store/json';

/** The API server's default request body limit (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new StatusError(Errors.tooLarge(limit));
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses a request body as JSON, or as YAML when the client says so (the API server takes both). */
export function parseBody(body: Buffer, contentType: string | undefined): JsonValue {
  const type = mediaType(contentType);
  const text = body.toString('utf8');
  if (text.trim() === '') throw new StatusError(Errors.badRequest('the request body is empty'));
  try {
    if (type === 'application/yaml' || type === 'application/apply-patch+yaml' || type === 'text/yaml')
      return parseYaml(text) as JsonValue;
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new StatusError(Errors.badRequest(`the request body could not be decoded: ${why}`));
  }
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status.code, status);
}

/**
 * Kubernetes warnings: `Warning: 299 - "text"` (RFC 7234 warn-code 299, "miscellaneous
 * persistent warning"), one header value each, which kubectl prints as "Warning: text".
 * Header values must be printable ASCII here, so anything else is replaced.
 */
export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const values = [...new Set(warnings)].slice(0, 64).map((w) => {
    const clean = w
      .replace(/[^\x20-\x7e]/g, '?')
      .replaceAll('\\', '\\\\')
      .replaceAll('"', '\\"')
      .slice(0, 1024);
    return `299 - "${clean}"`;
  });
  res.setHeader('Warning', values);
}

/** Who makes the request: Impersonate-User or X-Trellis-User, else "anonymous" (no auth yet). */
export function actorOf(req: IncomingMessage): string {
  const h = req.headers['impersonate-user'] ?? req.headers['x-trellis-user'];
  const v = Array.isArray(h) ? h[0] : h;
  return v && v.trim() !== '' ? v.trim().slice(0, 253) : 'anonymous';
}

/** What the client accepts, as far as the API cares. */
export type Representation =
  | { type: 'json' }
  | { type: 'yaml' }
  | { type: 'table'; version: 'v1' | 'v1beta1' }
  | { type: 'partial'; version: 'v1' | 'v1beta1' };

/**
 * Picks the first representation in the Accept header that the server can produce, as the API
 * server does: Table and PartialObjectMetadata(List) "as" variants, JSON, YAML. Protobuf alone is
 * refused with 406; every Kubernetes client also offers JSON.
 */
export function negotiate(accept: string | undefined): Representation {
  if (accept === undefined || accept.trim() === '') return { type: 'json' };
  for (const clause of accept.split(',')) {
    const [typePart = '', ...paramParts] = clause.split(';');
    const type = typePart.trim().toLowerCase();
    const params = new Map(
      paramParts.map((p) => {
        const [k = '', v = ''] = p.split('=');
        return [k.trim().toLowerCase(), v.trim()] as const;
      }),
    );
    const as = params.get('as');
    if (type === 'application/json' && as !== undefined) {
      const g = params.get('g');
      const v = params.get('v');
      if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
      if (as === 'Table') return { type: 'table', version: v };
      if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList')
        return { type: 'partial', version: v };
      continue;
    }
    if (
      type === 'application/json' ||
      type === 'application/*' ||
      type === '*/*' ||
      type === 'application/json-seq'
    )
      return { type: 'json' };
    if (type === 'application/yaml') return { type: 'yaml' };
  }
  throw new StatusError(Errors.notAcceptable(accept));
}

/** Query flags Kubernetes spells "true"/"1". */
export function flag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v === 'true' || v === '1';
}
