/**
 * What the request path reports when a request (inbound or outbound) completes. The request
 * path builds one per request and hands it to the telemetry sinks (metrics, access log,
 * traces); it never formats metrics itself.
 */
export type ResponseFlag = 'UO' | 'URX' | 'UF' | 'UH' | 'NR' | 'FI' | 'DI' | 'UT' | 'DC' | 'RL';

export interface PeerInfo {
  workload: string;
  namespace: string;
  /** SPIFFE id, or "unknown" when not mTLS. */
  principal: string;
  version: string;
  app: string;
}

export interface RequestRecord {
  /** source: recorded by the client-side sidecar (outbound); destination: by the server side (inbound). */
  reporter: 'source' | 'destination';
  source: PeerInfo;
  destination: PeerInfo & { service: string; serviceName: string; cluster: string };
  protocol: 'http' | 'grpc';
  method: string;
  /** Path without query, for access logs and span names only (never a metric label). */
  path: string;
  authority: string;
  responseCode: number;
  grpcStatus?: number;
  responseFlags: ResponseFlag[];
  /** Tries made upstream (1 without retries). */
  attempts: number;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  mtls: boolean;
  /** W3C trace context of the server or client span, when traced. */
  traceId?: string;
  spanId?: string;
  startTimeMs: number;
}

export interface RequestSink {
  record(rec: RequestRecord): void;
}
