import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { decodeOtlpJson, decodeOtlpProtobuf, encodeExportResponse, encodeRpcStatus, OtlpError } from './otlp';

/** Exports two spans (parent and child) with the real OTel exporter and returns the bodies it sent. */
async function capture(
  makeExporter: (url: string) => SpanExporter,
): Promise<{ bodies: Buffer[]; contentType: string; ids: { trace: string; parent: string; child: string } }> {
  const bodies: Buffer[] = [];
  let contentType = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      contentType = req.headers['content-type'] ?? '';
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
    const provider = new NodeTracerProvider({
      resource: undefined,
      spanProcessors: [new SimpleSpanProcessor(makeExporter(url))],
    });
    const tracer = provider.getTracer('otlp-test');
    const parent = tracer.startSpan('GET /productpage', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.response.status_code': 200,
        upstream_cluster: 'inbound|9080||',
        retry: true,
        ratio: 0.5,
      },
    });
    const { trace, context } = await import('@opentelemetry/api');
    const child = tracer.startSpan(
      'reviews',
      { kind: SpanKind.CLIENT, attributes: { tags: ['a', 'b'] } },
      trace.setSpan(context.active(), parent),
    );
    child.addEvent('retry', { attempt: 2 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream reset' });
    child.end();
    parent.end();
    await provider.forceFlush();
    await provider.shutdown();
    return {
      bodies,
      contentType,
      ids: {
        trace: parent.spanContext().traceId,
        parent: parent.spanContext().spanId,
        child: child.spanContext().spanId,
      },
    };
  } finally {
    server.close();
  }
}

for (const [encoding, make, decode] of [
  ['json', (url: string) => new JsonExporter({ url }), decodeOtlpJson],
  ['protobuf', (url: string) => new ProtoExporter({ url }), decodeOtlpProtobuf],
] as const) {
  test(`decodes what the OpenTelemetry JS ${encoding} exporter sends`, async () => {
    const { bodies, contentType, ids } = await capture(make);
    assert.match(contentType, encoding === 'json' ? /application\/json/ : /application\/x-protobuf/);
    const decoded = bodies.map((b) => decode(b));
    assert.deepEqual(
      decoded.map((d) => d.rejected),
      bodies.map(() => 0),
    );
    const spans = decoded.flatMap((d) => d.spans);
    assert.equal(spans.length, 2);
    const parent = spans.find((s) => s.spanId === ids.parent)!;
    const child = spans.find((s) => s.spanId === ids.child)!;
    assert.equal(parent.traceId, ids.trace);
    assert.equal(parent.parentSpanId, undefined);
    assert.equal(parent.kind, 'server');
    assert.equal(parent.name, 'GET /productpage');
    assert.equal(parent.attributes['http.response.status_code'], 200);
    assert.equal(parent.attributes.upstream_cluster, 'inbound|9080||');
    assert.equal(parent.attributes.retry, true);
    assert.equal(parent.attributes.ratio, 0.5);
    assert.match(parent.service, /^unknown_service/);
    assert.equal(parent.scope, 'otlp-test');
    assert.equal(child.parentSpanId, ids.parent);
    assert.equal(child.kind, 'client');
    assert.equal(child.status, 'error');
    assert.equal(child.statusMessage, 'upstream reset');
    assert.deepEqual(child.attributes.tags, ['a', 'b']);
    assert.deepEqual(child.events[0]?.attributes, { attempt: 2 });
    assert.ok(Math.abs(parent.startMs - Date.now()) < 60_000, 'times are ms since the epoch');
    assert.ok(parent.durationMs >= 0 && parent.durationMs < 60_000);
  });
}

test('invalid bodies raise OtlpError; invalid ids are counted as rejected', () => {
  assert.throws(() => decodeOtlpJson('{nope'), OtlpError);
  assert.throws(() => decodeOtlpJson('{"resourceSpans": 3}'), OtlpError);
  assert.throws(() => decodeOtlpProtobuf(Buffer.from([0x0a, 0xff, 0xff])), OtlpError);
  const { spans, rejected } = decodeOtlpJson(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '00000000000000000000000000000000',
                  spanId: '0102030405060708',
                  name: 'zero trace',
                },
                { traceId: 'abc', spanId: '0102030405060708', name: 'short' },
                {
                  traceId: '0102030405060708090A0B0C0D0E0F10',
                  spanId: '0102030405060708',
                  name: 'ok',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000250000000',
                  status: { code: 'STATUS_CODE_ERROR' },
                },
              ],
            },
          ],
        },
      ],
    }),
  );
  assert.equal(rejected, 2);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.traceId, '0102030405060708090a0b0c0d0e0f10');
  assert.equal(spans[0]!.service, 'svc');
  assert.equal(spans[0]!.kind, 'server');
  assert.equal(spans[0]!.status, 'error');
  assert.equal(spans[0]!.startMs, 1_700_000_000_000);
  assert.equal(spans[0]!.durationMs, 250);
});

test('responses: empty success, partial success, and rpc Status in both encodings', () => {
  assert.equal(Buffer.from(encodeExportResponse('json', 0, '')).toString(), '{}');
  assert.deepEqual(JSON.parse(Buffer.from(encodeExportResponse('json', 2, 'bad ids')).toString()), {
    partialSuccess: { rejectedSpans: 2, errorMessage: 'bad ids' },
  });
  assert.equal(encodeExportResponse('protobuf', 0, '').length, 0);
  assert.ok(encodeExportResponse('protobuf', 2, 'bad ids').length > 0);
  // code 3 (INVALID_ARGUMENT), message "x": 08 03 12 01 78
  assert.deepEqual([...encodeRpcStatus('protobuf', 3, 'x')], [0x08, 0x03, 0x12, 0x01, 0x78]);
});
