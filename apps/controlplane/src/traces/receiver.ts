/**
 * The built-in collector's OTLP/HTTP receiver (POST /v1/traces), per the OTLP spec
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp-request): application/json or
 * application/x-protobuf bodies, optionally gzip-compressed; the answer uses the request's
 * encoding: ExportTraceServiceResponse on success (with partial_success when spans were
 * refused), a google.rpc.Status on 400.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { mediaType } from '../api/http';
import { decodeOtlpJson, decodeOtlpProtobuf, encodeExportResponse, encodeRpcStatus, OtlpError } from './otlp';
import type { TraceStore } from './store';

/** Largest accepted body, compressed or not (the collector's default is 20 MiB too). */
export const MAX_OTLP_BYTES = 20 * 1024 * 1024;

const INVALID_ARGUMENT = 3;

function answer(res: ServerResponse, code: number, encoding: 'json' | 'protobuf', body: Uint8Array): void {
  res.writeHead(code, {
    'Content-Type': encoding === 'json' ? 'application/json' : 'application/x-protobuf',
    'Content-Length': body.length,
  });
  res.end(body);
}

async function readLimited(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_OTLP_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function receiveTraces(
  req: IncomingMessage,
  res: ServerResponse,
  store: TraceStore,
): Promise<void> {
  const type = mediaType(req.headers['content-type']);
  const encoding =
    type === 'application/json' ? 'json' : type === 'application/x-protobuf' ? 'protobuf' : null;
  if (encoding === null) {
    req.resume();
    const msg = `unsupported content type "${type}": send application/json or application/x-protobuf`;
    answer(res, 415, 'json', encodeRpcStatus('json', INVALID_ARGUMENT, msg));
    return;
  }
  let body = await readLimited(req);
  if (body === null) {
    answer(
      res,
      413,
      encoding,
      encodeRpcStatus(encoding, INVALID_ARGUMENT, `body larger than ${MAX_OTLP_BYTES} bytes`),
    );
    return;
  }
  try {
    const ce = (req.headers['content-encoding'] ?? '').toLowerCase();
    if (ce === 'gzip') body = gunzipSync(body, { maxOutputLength: MAX_OTLP_BYTES });
    else if (ce === 'deflate') body = inflateSync(body, { maxOutputLength: MAX_OTLP_BYTES });
    else if (ce !== '' && ce !== 'identity') throw new OtlpError(`unsupported content encoding "${ce}"`);
    const decoded = encoding === 'json' ? decodeOtlpJson(body) : decodeOtlpProtobuf(body);
    const { refused } = store.add(decoded.spans);
    const rejected = decoded.rejected + refused;
    const why =
      rejected === 0
        ? ''
        : `${decoded.rejected} spans had invalid ids, ${refused} exceeded the per-trace span limit`;
    answer(res, 200, encoding, encodeExportResponse(encoding, rejected, why));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    answer(res, 400, encoding, encodeRpcStatus(encoding, INVALID_ARGUMENT, msg));
  }
}
