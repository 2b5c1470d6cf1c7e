/**
 * A small app instrumented with the OpenTelemetry JS SDK (@opentelemetry/sdk-trace-node), as a
 * user would write it: a server span per request (its parent extracted from the incoming
 * traceparent), and, when it calls the next service through its sidecar (HTTP_PROXY style), a
 * client span whose context it injects. Spans go to OTLP/HTTP in JSON or protobuf.
 *
 *   node --import tsx traces-app.ts PORT NAME OTLP_URL json|proto [NEXT_URL OUTBOUND_PORT]
 *
 * Paths: "/direct/..." forwards without a client span (the server span's context goes out, as an
 * app that only passes headers on); "/flaky?id=X" answers 500 the first time it sees X.
 */
import http from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';

const [portArg, name = 'app', otlp = '', protocol = 'json', next, outboundArg] = process.argv.slice(2);
const exporter = protocol === 'proto' ? new ProtoExporter({ url: otlp }) : new JsonExporter({ url: otlp });
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': name }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
// Registers the AsyncLocalStorage context manager and the W3C propagator globally.
provider.register();
const tracer = trace.getTracer(name);
const seen = new Set<string>();

function callNext(path: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(path, next);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: Number(outboundArg),
        path: url.href,
        headers: { ...headers, host: url.host },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}

const server = http.createServer((req, res) => {
  req.resume();
  const parent = propagation.extract(context.active(), req.headers);
  const path = req.url ?? '/';
  const span = tracer.startSpan(`${req.method} ${path.split('?')[0]}`, { kind: SpanKind.SERVER }, parent);
  void context.with(trace.setSpan(parent, span), async () => {
    let status = 200;
    if (path.startsWith('/flaky')) {
      const id = new URL(path, 'http://x').searchParams.get('id') ?? '';
      if (!seen.has(id)) {
        seen.add(id);
        status = 500;
      }
    }
    if (next && status === 200) {
      if (path.startsWith('/direct/')) {
        const headers: Record<string, string> = {};
        propagation.inject(context.active(), headers);
        status = await callNext(path.slice('/direct'.length), headers);
      } else {
        const client = tracer.startSpan(`call ${new URL(next).hostname}`, { kind: SpanKind.CLIENT });
        const headers: Record<string, string> = {};
        propagation.inject(trace.setSpan(context.active(), client), headers);
        status = await callNext(path, headers);
        client.setAttribute('http.response.status_code', status);
        if (status >= 500) client.setStatus({ code: SpanStatusCode.ERROR });
        client.end();
      }
    }
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(`${name} ${status}`);
  });
});

server.listen(Number(portArg), '127.0.0.1', () => process.stdout.write(`listening ${portArg}\n`));
process.on('SIGTERM', () => {
  server.close();
  void provider.shutdown().finally(() => process.exit(0));
});
