/**
 * Tracing for the sidecar, on the OpenTelemetry JS SDK: a server span per inbound request, a
 * client span per outbound try (so retries show), each with Envoy/Istio-like tags; context read
 * and written as W3C traceparent/tracestate and B3; spans batched to an OTLP/HTTP endpoint
 * (JSON or protobuf) that the pushed config names.
 *
 * Lean when not sampled: the sampling decision is made from the caller's headers (one scan) and
 * a dice roll before any OpenTelemetry object exists, so an unsampled request creates no span.
 */
import {
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  type ExportResult,
  ExportResultCode,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { OtlpProtocol, TelemetryConfig } from '@trellis/shared';
import type { Call } from '../http/call';
import type { Outcome } from '../upstream/outcome';
import type { PeerInfo, RequestRecord } from './record';
import { flatGetter, flatSetter, incomingDecision, unsampledTraceparent } from './trace-headers';

export type { OtlpProtocol };

export interface TracingOptions {
  /** This workload (resource attributes: service.name is Istio's "app.namespace"). */
  self: PeerInfo;
  /** Batch export delay (ms); the SDK's default is 5 s. */
  exportDelayMs?: number;
  random?: () => number;
  /** Replaces the OTLP exporter (tests). */
  exporter?: (endpoint: string, protocol: OtlpProtocol) => SpanExporter;
}

/**
 * Forwards to the exporter of the endpoint the current config names, so a config push can move
 * the export without rebuilding the provider; drops spans while no endpoint is set.
 */
class SwitchingExporter implements SpanExporter {
  private endpoint: string | undefined;
  private protocol: OtlpProtocol | undefined;
  private target: SpanExporter | null = null;

  constructor(private readonly make: (endpoint: string, protocol: OtlpProtocol) => SpanExporter) {}

  /** Called per sampled request: a no-op unless the pushed config moved the export. */
  use(endpoint: string | undefined, protocol: OtlpProtocol): void {
    if (endpoint === this.endpoint && protocol === this.protocol) return;
    const old = this.target;
    this.endpoint = endpoint;
    this.protocol = protocol;
    this.target = endpoint ? this.make(endpoint, protocol) : null;
    void old?.shutdown().catch(() => undefined);
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.target === null) done({ code: ExportResultCode.SUCCESS });
    else this.target.export(spans, done);
  }

  async forceFlush(): Promise<void> {
    await this.target?.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.target?.shutdown();
    this.target = null;
  }
}

function defaultExporter(endpoint: string, protocol: OtlpProtocol): SpanExporter {
  return protocol === 'http/json'
    ? new OtlpJsonExporter({ url: endpoint })
    : new OtlpProtoExporter({ url: endpoint });
}

function isError(status: number, grpcStatus: number | undefined): boolean {
  return status === 0 || status >= 500 || (grpcStatus !== undefined && grpcStatus !== 0);
}

function flagsTag(flags: readonly string[] | null): string {
  return flags === null || flags.length === 0 ? '-' : flags.join(',');
}

/** The tracing state of one sampled (or deliberately unsampled) request. */
export class RequestTrace {
  /** The server span (inbound) whose context the app receives. */
  private server: Span | null = null;
  /** The client span of the last try, open until the next try or the end of the request. */
  private openTry: Span | null = null;
  private tries = 0;

  constructor(
    private readonly tracing: Tracing,
    readonly side: 'inbound' | 'outbound',
    /** The caller's context (ROOT when the trace starts here). */
    private readonly parent: Context,
    /** null: sampled; otherwise the not-sampled headers passed on unchanged to every upstream. */
    readonly unsampledHeaders: string[] | null,
  ) {}

  get sampled(): boolean {
    return this.unsampledHeaders === null;
  }

  /** The span the record names: the server span inbound, the last try outbound. */
  private current: Span | null = null;

  get traceId(): string | undefined {
    return this.current?.spanContext().traceId;
  }

  get spanId(): string | undefined {
    return this.current?.spanContext().spanId;
  }

  /** Inbound: starts the server span; returns the headers that carry it to the app. */
  startServer(call: Call): string[] {
    const ex = call.ex;
    const span = this.tracing.tracer.startSpan(
      `${ex.authority}/*`,
      {
        kind: SpanKind.SERVER,
        startTime: call.startTime,
        attributes: {
          'http.method': ex.method,
          'http.url': `http://${ex.authority}${ex.path}`,
          'http.protocol': ex.protocol === 'h2' ? 'HTTP/2' : 'HTTP/1.1',
          'peer.address': ex.remoteAddress,
          component: 'proxy',
          ...this.tracing.identityTags,
        },
      },
      this.parent,
    );
    this.server = span;
    this.current = span;
    return this.tracing.inject(trace.setSpan(this.parent, span));
  }

  /** Outbound: a client span for this try; returns the headers that carry it upstream. */
  startTry(call: Call): string[] {
    if (this.openTry !== null) {
      // The previous try's response was discarded for a retry.
      this.openTry.setAttribute('retry.discarded', true);
      this.openTry.end();
    }
    this.tries++;
    const c = call.cluster;
    const ex = call.ex;
    const span = this.tracing.tracer.startSpan(
      c ? `${c.service}:${c.port}/*` : `${call.authority}/*`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.method': ex.method,
          'http.url': `http://${call.authority}${call.path}`,
          'http.protocol': call.upstreamH2 ? 'HTTP/2' : 'HTTP/1.1',
          upstream_cluster: c?.name ?? '-',
          'upstream_cluster.name': c?.name ?? '-',
          'retry.attempt': this.tries,
          component: 'proxy',
          ...this.tracing.identityTags,
        },
      },
      this.parent,
    );
    this.openTry = span;
    this.current = span;
    return this.tracing.inject(trace.setSpan(this.parent, span));
  }

  /** What one try produced: local failures end the span now; responses wait for the body. */
  tryOutcome(call: Call, o: Outcome): void {
    const span = this.openTry;
    if (span === null) return;
    const ep = call.endpoint;
    if (ep !== null) {
      span.setAttribute('peer.address', ep.state.address);
      span.setAttribute('upstream.peer.principal', ep.principal ?? 'unknown');
      span.setAttribute('istio.destination.workload', ep.peer.workload);
      span.setAttribute('istio.destination.version', ep.peer.version);
    }
    span.setAttribute('http.status_code', o.status);
    if (o.kind === 'local') {
      span.setAttribute('response_flags', o.flag ?? '-');
      if (o.cause !== null) span.setAttribute('upstream.failure', o.cause);
      span.setAttribute('error', true);
      span.setStatus({ code: SpanStatusCode.ERROR, message: o.cause ?? o.flag ?? 'local reply' });
      span.end();
      this.openTry = null;
    } else if (isError(o.status, undefined)) {
      span.setAttribute('error', true);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${o.status}` });
    }
  }

  /** The request is over (response written): ends what is open, with the final outcome. */
  finish(rec: RequestRecord): void {
    if (!this.sampled) return;
    const err = isError(rec.responseCode, rec.grpcStatus);
    const flags = flagsTag(rec.responseFlags);
    if (this.side === 'outbound' && this.tries === 0) {
      // No try was made (fault abort, no route): one client span for the local reply, as
      // Envoy's egress span carries the fault filter's FI.
      const span = this.tracing.tracer.startSpan(
        `${rec.destination.service}/*`,
        {
          kind: SpanKind.CLIENT,
          startTime: rec.startTimeMs,
          attributes: {
            'http.method': rec.method,
            'http.url': `http://${rec.authority}${rec.path}`,
            upstream_cluster: rec.destination.cluster || '-',
            component: 'proxy',
            ...this.tracing.identityTags,
          },
        },
        this.parent,
      );
      this.openTry = span;
      this.current = span;
    }
    const open = this.openTry;
    if (open !== null) {
      open.setAttribute('http.status_code', rec.responseCode);
      open.setAttribute('response_flags', flags);
      open.setAttribute('response_size', rec.responseBytes);
      if (rec.grpcStatus !== undefined) open.setAttribute('grpc.status_code', rec.grpcStatus);
      if (err) {
        open.setAttribute('error', true);
        open.setStatus({
          code: SpanStatusCode.ERROR,
          message: flags !== '-' ? flags : `HTTP ${rec.responseCode}`,
        });
      }
      open.end();
      this.openTry = null;
    }
    const server = this.server;
    if (server !== null) {
      server.updateName(`${rec.destination.service}:${rec.authority.split(':')[1] ?? '80'}/*`);
      server.setAttribute('http.status_code', rec.responseCode);
      server.setAttribute('response_flags', flags);
      server.setAttribute('request_size', rec.requestBytes);
      server.setAttribute('response_size', rec.responseBytes);
      server.setAttribute('upstream_cluster', rec.destination.cluster || '-');
      server.setAttribute('peer.principal', rec.source.principal);
      server.setAttribute('istio.source.workload', rec.source.workload);
      server.setAttribute('istio.source.namespace', rec.source.namespace);
      server.setAttribute('connection_security_policy', rec.mtls ? 'mutual_tls' : 'none');
      if (rec.grpcStatus !== undefined) server.setAttribute('grpc.status_code', rec.grpcStatus);
      if (err) {
        server.setAttribute('error', true);
        server.setStatus({
          code: SpanStatusCode.ERROR,
          message: flags !== '-' ? flags : `HTTP ${rec.responseCode}`,
        });
      }
      server.end();
      this.server = null;
    }
  }
}

export class Tracing {
  readonly tracer: Tracer;
  readonly identityTags: Record<string, string>;
  private readonly provider: BasicTracerProvider;
  private readonly exporter: SwitchingExporter;
  private readonly propagator = new CompositePropagator({
    // Both are read; when both are present the later one (W3C) wins.
    propagators: [new B3Propagator(), new W3CTraceContextPropagator()],
  });
  private readonly b3Out = new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER });
  private readonly random: () => number;

  constructor(opts: TracingOptions) {
    const s = opts.self;
    this.random = opts.random ?? Math.random;
    this.identityTags = {
      'istio.canonical_service': s.app,
      'istio.canonical_revision': s.version,
      'istio.namespace': s.namespace,
      node_id: `sidecar~${s.workload}.${s.namespace}`,
    };
    this.exporter = new SwitchingExporter(opts.exporter ?? defaultExporter);
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': `${s.app}.${s.namespace}`,
        'service.namespace': s.namespace,
        'service.version': s.version,
        'k8s.namespace.name': s.namespace,
        'istio.workload': s.workload,
      }),
      // The decision is taken before a span is started (see begin), so the SDK samples all.
      sampler: new AlwaysOnSampler(),
      spanProcessors: [
        new BatchSpanProcessor(this.exporter, {
          scheduledDelayMillis: opts.exportDelayMs ?? 1000,
          maxQueueSize: 4096,
          maxExportBatchSize: 512,
        }),
      ],
    });
    this.tracer = this.provider.getTracer('trellis-proxy');
  }

  /** W3C and B3 (multi-header, what Istio's sample apps forward) for a context. */
  inject(ctx: Context): string[] {
    const out: string[] = [];
    this.propagator.inject(ctx, out, flatSetter);
    this.b3Out.inject(ctx, out, flatSetter);
    return out;
  }

  /**
   * Decides whether this request is traced. null: nothing to do (tracing off, or the caller
   * already decided "not sampled" and its headers pass through unchanged).
   */
  begin(call: Call, side: 'inbound' | 'outbound'): RequestTrace | null {
    const cfg: TelemetryConfig['tracing'] = call.config.telemetry.tracing;
    const decision = incomingDecision(call.ex.rawHeaders);
    if (decision === 'unsampled') return null;
    if (decision === 'none') {
      if (cfg.samplingPercent <= 0) return null;
      if (cfg.samplingPercent < 100 && this.random() * 100 >= cfg.samplingPercent)
        return new RequestTrace(this, side, ROOT_CONTEXT, unsampledTraceparent());
    }
    if (!cfg.otlpEndpoint) return null;
    this.exporter.use(cfg.otlpEndpoint, cfg.otlpProtocol ?? 'http/protobuf');
    const parent =
      decision === 'sampled'
        ? this.propagator.extract(ROOT_CONTEXT, call.ex.rawHeaders, flatGetter)
        : ROOT_CONTEXT;
    // A context we could not parse starts a new trace rather than failing the request.
    return new RequestTrace(this, side, trace.getSpanContext(parent) ? parent : ROOT_CONTEXT, null);
  }

  forceFlush(): Promise<void> {
    return this.provider.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}
