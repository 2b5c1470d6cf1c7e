/**
 * The access log: one JSON line per request on stdout, fields named after Envoy's default
 * format (start_time, method, path, protocol, response_code, response_flags, bytes_received,
 * bytes_sent, duration, upstream_cluster, ...). Off unless the pushed config turns it on.
 */
import type { RequestRecord } from './telemetry/record';

export function accessLogLine(r: RequestRecord, upstreamHost: string): string {
  return `${JSON.stringify({
    start_time: new Date(r.startTimeMs).toISOString(),
    reporter: r.reporter,
    method: r.method,
    path: r.path,
    protocol: r.protocol === 'grpc' ? 'HTTP/2' : 'HTTP/1.1',
    authority: r.authority,
    response_code: r.responseCode,
    grpc_status: r.grpcStatus ?? null,
    response_flags: r.responseFlags.length === 0 ? '-' : r.responseFlags.join(','),
    bytes_received: r.requestBytes,
    bytes_sent: r.responseBytes,
    duration: Math.round(r.durationMs * 1000) / 1000,
    upstream_cluster: r.destination.cluster,
    upstream_host: upstreamHost,
    attempts: r.attempts,
    source_workload: r.source.workload,
    source_namespace: r.source.namespace,
    destination_workload: r.destination.workload,
    destination_service: r.destination.service,
    trace_id: r.traceId ?? null,
  })}\n`;
}
