/**
 * Turns a finished Call into counters and a RequestRecord for the telemetry sinks, exactly once
 * per request. Builds nothing when no sink is listening and the access log is off.
 */
import { fqdn } from '@trellis/shared';
import { accessLogLine } from '../access-log';
import type { Call } from '../http/call';
import { rawHeader } from '../http/headers';
import type { CompletionObserver } from '../http/respond';
import { UNKNOWN_PEER } from '../layers/identity';
import type { Stats } from '../stats';
import type { PeerInfo, RequestRecord, RequestSink } from '../telemetry/record';

export interface SelfInfo {
  peer: PeerInfo;
  namespace: string;
  /** This workload's services: short name and port. */
  services: { name: string; port: number }[];
}

const STATUS_CLASS = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

export class Reporter implements CompletionObserver {
  private readonly prefix: string;

  constructor(
    private readonly reporter: 'source' | 'destination',
    private readonly self: SelfInfo,
    readonly sinks: RequestSink[],
    private readonly stats: Stats,
    private readonly writeAccessLog: (line: string) => void = (l) => void process.stdout.write(l),
  ) {
    this.prefix = reporter === 'source' ? 'outbound.' : 'inbound.';
    // Counter names built once: no string concatenation per request.
    this.totalName = `${this.prefix}downstream_rq_total`;
    this.classNames = STATUS_CLASS.map((c) => `${this.prefix}downstream_rq_${c}`);
  }

  private readonly totalName: string;
  private readonly classNames: string[];

  complete(call: Call, status: number, responseBytes: number, grpcStatus: number | undefined): void {
    if (call.completed) return;
    call.completed = true;
    const p = this.prefix;
    this.stats.inc(this.totalName);
    this.stats.inc(this.classNames[Math.floor(status / 100)] ?? `${p}downstream_rq_other`);
    if (call.flags !== null) for (const f of call.flags) this.stats.inc(`${p}response_flag.${f}`);
    if (call.attempts > 1) this.stats.inc(`${p}upstream_rq_retry`, call.attempts - 1);
    const log = call.config.telemetry.accessLog;
    const trace = call.trace;
    if (this.sinks.length === 0 && !log && trace === null) return;
    const rec = this.record(call, status, responseBytes, grpcStatus);
    if (trace !== null) {
      try {
        trace.finish(rec);
        rec.traceId = trace.traceId;
        rec.spanId = trace.spanId;
      } catch {
        // Tracing must not fail the request path either.
      }
    }
    for (const s of this.sinks) {
      try {
        s.record(rec);
      } catch {
        // A sink's failure must not fail the request path.
      }
    }
    if (log) this.writeAccessLog(accessLogLine(rec, call.endpoint?.state.address ?? '-'));
  }

  private record(
    call: Call,
    status: number,
    responseBytes: number,
    grpcStatus: number | undefined,
  ): RequestRecord {
    const ex = call.ex;
    const q = ex.path.indexOf('?');
    const ct = rawHeader(ex.rawHeaders, 'content-type');
    const c = call.cluster;
    let destination: RequestRecord['destination'];
    if (this.reporter === 'destination') {
      const svc = this.serviceFor(ex.authority);
      destination = {
        ...this.self.peer,
        service: svc,
        serviceName: svc.split('.')[0]!,
        cluster: c?.name ?? '',
      };
    } else if (c !== null) {
      destination = {
        ...(call.endpoint?.peer ?? UNKNOWN_PEER),
        service: c.service,
        serviceName: c.serviceName,
        cluster: c.name,
      };
    } else {
      const host = ex.authority.replace(/:\d+$/, '');
      destination = {
        ...UNKNOWN_PEER,
        service: host || 'unknown',
        serviceName: host || 'unknown',
        cluster: '',
      };
    }
    // Istio sets source_principal / destination_principal only when peer authentication was
    // used: a plaintext request reports neither, even if this proxy has a certificate.
    let source = call.source ?? (this.reporter === 'source' ? this.self.peer : UNKNOWN_PEER);
    if (!call.mtls) {
      destination.principal = 'unknown';
      if (source.principal !== 'unknown') source = { ...source, principal: 'unknown' };
    }
    return {
      reporter: this.reporter,
      source,
      destination,
      protocol: ct?.startsWith('application/grpc') ? 'grpc' : 'http',
      method: ex.method,
      path: q < 0 ? ex.path : ex.path.slice(0, q),
      authority: ex.authority,
      responseCode: status,
      grpcStatus,
      responseFlags: call.flags ?? [],
      attempts: Math.max(call.attempts, 1),
      durationMs: performance.now() - call.startMs,
      requestBytes: ex.body?.length ?? 0,
      responseBytes,
      mtls: call.mtls,
      startTimeMs: call.startTime,
    };
  }

  /** Which of this workload's services the peer addressed (by Host), as an FQDN. */
  private serviceFor(authority: string): string {
    const host = authority.replace(/:\d+$/, '');
    const short = host.split('.')[0];
    const s = this.self.services.find((x) => x.name === short) ?? this.self.services[0];
    return s ? fqdn(s.name, this.self.namespace) : 'unknown';
  }
}
