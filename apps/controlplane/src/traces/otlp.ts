import { createRequire } from 'node:module';
import type { AttributeValue, SpanKind, SpanStatus, TraceSpan } from '@trellis/shared';
import protobuf from 'protobufjs/minimal.js';
import { z } from 'zod';

/**
 * OTLP/HTTP trace decoding (https://opentelemetry.io/docs/specs/otlp/#otlphttp): the JSON and
 * the binary protobuf encodings of ExportTraceServiceRequest, both turned into TraceSpan.
 *
 * The protobuf message types come from @opentelemetry/otlp-transformer 0.215 (installed under
 * the alias otlp-transformer-protobuf): the last release that ships the OTLP .proto files
 * compiled by protobufjs with decoders. Later releases only encode.
 */

export class OtlpError extends Error {
  override readonly name = 'OtlpError';
}

interface ProtoType {
  decode(bytes: Uint8Array): object;
  toObject(
    message: object,
    options: { longs: StringConstructor; enums: NumberConstructor; arrays: boolean },
  ): unknown;
}

interface ProtoEncoder {
  create(fields: object): object;
  encode(message: object): { finish(): Uint8Array };
}

interface TraceServiceTypes {
  ExportTraceServiceRequest: ProtoType;
  ExportTraceServiceResponse: ProtoEncoder;
}

const require = createRequire(import.meta.url);
let types: TraceServiceTypes | undefined;
function traceService(): TraceServiceTypes {
  if (!types) {
    const root = require('otlp-transformer-protobuf/build/src/generated/root.js') as {
      opentelemetry: { proto: { collector: { trace: { v1: TraceServiceTypes } } } };
    };
    types = root.opentelemetry.proto.collector.trace.v1;
  }
  return types;
}

// Protobuf toObject keeps bytes as Uint8Array and 64-bit ints as strings; JSON has hex ids
// and ints as numbers or strings. The schema accepts both and nothing else.
const bytesOrHex = z.union([z.string(), z.instanceof(Uint8Array)]);
const int64 = z.union([z.string(), z.number()]);

type AnyValueWire = {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: string | number | null;
  doubleValue?: number | null;
  arrayValue?: { values?: AnyValueWire[] | null } | null;
  kvlistValue?: { values?: { key: string; value?: AnyValueWire | null }[] | null } | null;
  bytesValue?: string | Uint8Array | null;
};
const anyValue: z.ZodType<AnyValueWire> = z.lazy(() =>
  z.object({
    stringValue: z.string().nullish(),
    boolValue: z.boolean().nullish(),
    intValue: int64.nullish(),
    doubleValue: z.number().nullish(),
    arrayValue: z.object({ values: z.array(anyValue).nullish() }).nullish(),
    kvlistValue: z
      .object({ values: z.array(z.object({ key: z.string(), value: anyValue.nullish() })).nullish() })
      .nullish(),
    bytesValue: bytesOrHex.nullish(),
  }),
);
const keyValues = z.array(z.object({ key: z.string(), value: anyValue.nullish() })).nullish();
const enumValue = z.union([z.number(), z.string()]);

const span = z.object({
  traceId: bytesOrHex,
  spanId: bytesOrHex,
  parentSpanId: bytesOrHex.nullish(),
  name: z.string().nullish(),
  kind: enumValue.nullish(),
  startTimeUnixNano: int64.nullish(),
  endTimeUnixNano: int64.nullish(),
  attributes: keyValues,
  events: z
    .array(z.object({ timeUnixNano: int64.nullish(), name: z.string().nullish(), attributes: keyValues }))
    .nullish(),
  status: z.object({ code: enumValue.nullish(), message: z.string().nullish() }).nullish(),
});
const scopeSpans = z.object({
  scope: z.object({ name: z.string().nullish(), version: z.string().nullish() }).nullish(),
  spans: z.array(span).nullish(),
});
const request = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: keyValues }).nullish(),
        scopeSpans: z.array(scopeSpans).nullish(),
        // Senders before OTLP 0.19 used this name for the same message.
        instrumentationLibrarySpans: z
          .array(
            z.object({
              instrumentationLibrary: z.object({ name: z.string().nullish() }).nullish(),
              spans: z.array(span).nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});
type WireRequest = z.infer<typeof request>;

function toHex(id: string | Uint8Array): string {
  if (typeof id !== 'string') return Buffer.from(id).toString('hex');
  if (/^[0-9a-fA-F]*$/.test(id) && id.length % 2 === 0) return id.toLowerCase();
  // Some senders put base64 (protobuf's JSON mapping of bytes) in OTLP/JSON.
  return Buffer.from(id, 'base64').toString('hex');
}

function nanosToMs(n: string | number | null | undefined): number {
  if (n === null || n === undefined) return 0;
  if (typeof n === 'number') return n / 1e6;
  try {
    // Microsecond precision survives a double; nanoseconds would not.
    return Number(BigInt(n) / 1000n) / 1000;
  } catch {
    return 0;
  }
}

function attrValue(v: AnyValueWire | null | undefined): AttributeValue | undefined {
  if (!v) return undefined;
  if (v.stringValue !== undefined && v.stringValue !== null) return v.stringValue;
  if (v.boolValue !== undefined && v.boolValue !== null) return v.boolValue;
  if (v.intValue !== undefined && v.intValue !== null) return Number(v.intValue);
  if (v.doubleValue !== undefined && v.doubleValue !== null) return v.doubleValue;
  if (v.arrayValue) {
    const items = (v.arrayValue.values ?? []).map(attrValue).filter((x) => x !== undefined);
    if (items.every((x) => typeof x === 'number')) return items as number[];
    if (items.every((x) => typeof x === 'boolean')) return items as boolean[];
    return items.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  }
  if (v.kvlistValue) {
    const obj: Record<string, AttributeValue | undefined> = {};
    for (const kv of v.kvlistValue.values ?? []) obj[kv.key] = attrValue(kv.value);
    return JSON.stringify(obj);
  }
  if (v.bytesValue !== undefined && v.bytesValue !== null)
    return typeof v.bytesValue === 'string' ? v.bytesValue : Buffer.from(v.bytesValue).toString('base64');
  return undefined;
}

function attributes(kvs: { key: string; value?: AnyValueWire | null }[] | null | undefined) {
  const out: Record<string, AttributeValue> = {};
  for (const kv of kvs ?? []) {
    const v = attrValue(kv.value);
    if (v !== undefined) out[kv.key] = v;
  }
  return out;
}

const KINDS: SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

function kindOf(k: number | string | null | undefined): SpanKind {
  if (typeof k === 'number') return KINDS[k] ?? 'unspecified';
  if (typeof k === 'string') {
    const name = k.replace(/^SPAN_KIND_/, '').toLowerCase();
    return (KINDS as string[]).includes(name) ? (name as SpanKind) : 'unspecified';
  }
  return 'unspecified';
}

function statusOf(c: number | string | null | undefined): SpanStatus {
  if (c === 1 || c === 'STATUS_CODE_OK') return 'ok';
  if (c === 2 || c === 'STATUS_CODE_ERROR') return 'error';
  return 'unset';
}

export interface DecodedSpans {
  spans: TraceSpan[];
  /** Spans refused for invalid ids (counted in the OTLP partial-success answer). */
  rejected: number;
}

function convert(req: WireRequest): DecodedSpans {
  const spans: TraceSpan[] = [];
  let rejected = 0;
  for (const rs of req.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    const serviceName =
      typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
    const scopes = [
      ...(rs.scopeSpans ?? []).map((s) => ({ scope: s.scope?.name ?? undefined, spans: s.spans ?? [] })),
      ...(rs.scopeSpans?.length ? [] : (rs.instrumentationLibrarySpans ?? [])).map((s) => ({
        scope: s.instrumentationLibrary?.name ?? undefined,
        spans: s.spans ?? [],
      })),
    ];
    for (const scope of scopes) {
      for (const s of scope.spans) {
        const traceId = toHex(s.traceId);
        const spanId = toHex(s.spanId);
        if (!/^[0-9a-f]{32}$/.test(traceId) || /^0+$/.test(traceId) || !/^[0-9a-f]{16}$/.test(spanId)) {
          rejected++;
          continue;
        }
        const parent = s.parentSpanId ? toHex(s.parentSpanId) : '';
        const startMs = nanosToMs(s.startTimeUnixNano);
        const endMs = nanosToMs(s.endTimeUnixNano);
        const out: TraceSpan = {
          traceId,
          spanId,
          name: s.name ?? '',
          kind: kindOf(s.kind),
          service: serviceName,
          startMs,
          durationMs: Math.max(0, endMs - startMs),
          status: statusOf(s.status?.code),
          attributes: attributes(s.attributes),
          resource,
          events: (s.events ?? []).map((e) => ({
            timeMs: nanosToMs(e.timeUnixNano),
            name: e.name ?? '',
            attributes: attributes(e.attributes),
          })),
        };
        if (/^[0-9a-f]{16}$/.test(parent) && !/^0+$/.test(parent)) out.parentSpanId = parent;
        if (s.status?.message) out.statusMessage = s.status.message;
        if (scope.scope) out.scope = scope.scope;
        spans.push(out);
      }
    }
  }
  return { spans, rejected };
}

function validated(obj: unknown): WireRequest {
  const parsed = request.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OtlpError(
      `not an ExportTraceServiceRequest: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

export function decodeOtlpJson(body: Buffer | string): DecodedSpans {
  let obj: unknown;
  try {
    obj = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (err) {
    throw new OtlpError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return convert(validated(obj));
}

export function decodeOtlpProtobuf(body: Uint8Array): DecodedSpans {
  const type = traceService().ExportTraceServiceRequest;
  let obj: unknown;
  try {
    obj = type.toObject(type.decode(body), { longs: String, enums: Number, arrays: true });
  } catch (err) {
    throw new OtlpError(`invalid protobuf: ${err instanceof Error ? err.message : String(err)}`);
  }
  return convert(validated(obj));
}

/** The ExportTraceServiceResponse, with partial_success when spans were refused. */
export function encodeExportResponse(
  encoding: 'json' | 'protobuf',
  rejected: number,
  message: string,
): Uint8Array {
  const partialSuccess = rejected > 0 ? { rejectedSpans: rejected, errorMessage: message } : undefined;
  if (encoding === 'json') return Buffer.from(JSON.stringify(partialSuccess ? { partialSuccess } : {}));
  const t = traceService().ExportTraceServiceResponse;
  return t.encode(t.create(partialSuccess ? { partialSuccess } : {})).finish();
}

/**
 * google.rpc.Status {int32 code = 1; string message = 2;}, the OTLP/HTTP error body. Written
 * with protobufjs's Writer: the OTLP proto package does not include google/rpc/status.proto.
 */
export function encodeRpcStatus(encoding: 'json' | 'protobuf', code: number, message: string): Uint8Array {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return protobuf.Writer.create()
    .uint32((1 << 3) | 0)
    .int32(code)
    .uint32((2 << 3) | 2)
    .string(message)
    .finish();
}
