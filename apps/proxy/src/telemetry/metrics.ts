import { Counter, Histogram, type Registry } from 'prom-client';
import {
  DEFAULT_CLUSTER_ID,
  ISTIO_PEER_LABELS,
  ISTIO_REQUEST_LABELS,
  type PeerLabelInput,
  peerLabelValues,
  requestLabelValues,
} from './istio-labels';
import type { RequestRecord, RequestSink } from './record';

/**
 * Istio's default buckets for istio_request_duration_milliseconds (ms), as its stats filter
 * configures them (https://istio.io/latest/docs/reference/config/metrics/).
 */
export const ISTIO_DURATION_BUCKETS_MS = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000,
  3600000,
];

/** Istio's size buckets for istio_request_bytes / istio_response_bytes (bytes, powers of ten). */
export const ISTIO_SIZE_BUCKETS_BYTES = [
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
];

/** A TCP connection as the TCP proxy path reports it (no response code: it is not HTTP). */
export type TcpConnectionInfo = Omit<PeerLabelInput, 'protocol'>;

export interface TcpSink {
  tcpOpened(conn: TcpConnectionInfo): void;
  /** Bytes moved since the last report on this connection (Istio reports periodically and at close). */
  tcpBytes(conn: TcpConnectionInfo, sentBytes: number, receivedBytes: number): void;
  tcpClosed(conn: TcpConnectionInfo): void;
}

export interface IstioMetricsOptions {
  registry: Registry;
  /** Istio's cluster id for source_cluster / destination_cluster. */
  clusterId?: string;
  /**
   * Most label combinations kept; records with a new combination beyond it are counted in
   * trellis_telemetry_dropped_records_total instead, so a misbehaving peer cannot grow memory.
   */
  maxSeries?: number;
}

interface RequestChildren {
  requests: { inc(v?: number): void };
  duration: { observe(v: number): void };
  requestBytes: { observe(v: number): void };
  responseBytes: { observe(v: number): void };
}

interface TcpChildren {
  opened: { inc(v?: number): void };
  closed: { inc(v?: number): void };
  sent: { inc(v?: number): void };
  received: { inc(v?: number): void };
}

/**
 * Records each finished request into Istio's standard metrics. The request path calls record()
 * once per request; label children are cached by their values so the per-request cost is one
 * string join and a map lookup instead of prom-client hashing 25 labels for each of 4 metrics.
 */
export class IstioMetrics implements RequestSink, TcpSink {
  private readonly requests: Counter<string>;
  private readonly duration: Histogram<string>;
  private readonly requestBytes: Histogram<string>;
  private readonly responseBytes: Histogram<string>;
  private readonly tcpOpenedTotal: Counter<string>;
  private readonly tcpClosedTotal: Counter<string>;
  private readonly tcpSent: Counter<string>;
  private readonly tcpReceived: Counter<string>;
  private readonly dropped: Counter<string>;
  private readonly requestChildren = new Map<string, RequestChildren>();
  private readonly tcpChildren = new Map<string, TcpChildren>();
  private readonly clusterId: string;
  private readonly maxSeries: number;

  constructor(opts: IstioMetricsOptions) {
    const registers = [opts.registry];
    this.clusterId = opts.clusterId ?? DEFAULT_CLUSTER_ID;
    this.maxSeries = opts.maxSeries ?? 10_000;
    const requestLabels = [...ISTIO_REQUEST_LABELS];
    const peerLabels = [...ISTIO_PEER_LABELS];
    this.requests = new Counter({
      name: 'istio_requests_total',
      help: 'Total number of requests handled by the proxy.',
      labelNames: requestLabels,
      registers,
    });
    this.duration = new Histogram({
      name: 'istio_request_duration_milliseconds',
      help: 'Request duration in milliseconds.',
      labelNames: requestLabels,
      buckets: ISTIO_DURATION_BUCKETS_MS,
      registers,
    });
    this.requestBytes = new Histogram({
      name: 'istio_request_bytes',
      help: 'Request body size in bytes.',
      labelNames: requestLabels,
      buckets: ISTIO_SIZE_BUCKETS_BYTES,
      registers,
    });
    this.responseBytes = new Histogram({
      name: 'istio_response_bytes',
      help: 'Response body size in bytes.',
      labelNames: requestLabels,
      buckets: ISTIO_SIZE_BUCKETS_BYTES,
      registers,
    });
    this.tcpOpenedTotal = new Counter({
      name: 'istio_tcp_connections_opened_total',
      help: 'Total TCP connections opened.',
      labelNames: peerLabels,
      registers,
    });
    this.tcpClosedTotal = new Counter({
      name: 'istio_tcp_connections_closed_total',
      help: 'Total TCP connections closed.',
      labelNames: peerLabels,
      registers,
    });
    this.tcpSent = new Counter({
      name: 'istio_tcp_sent_bytes_total',
      help: 'Total bytes sent in response to a TCP connection.',
      labelNames: peerLabels,
      registers,
    });
    this.tcpReceived = new Counter({
      name: 'istio_tcp_received_bytes_total',
      help: 'Total bytes received from a TCP connection.',
      labelNames: peerLabels,
      registers,
    });
    this.dropped = new Counter({
      name: 'trellis_telemetry_dropped_records_total',
      help: 'Records not counted because the metric series limit was reached.',
      registers,
    });
  }

  record(rec: RequestRecord): void {
    const values = requestLabelValues(rec, this.clusterId);
    const key = values.join('\u0001');
    let children = this.requestChildren.get(key);
    if (!children) {
      if (this.requestChildren.size >= this.maxSeries) {
        this.dropped.inc();
        return;
      }
      children = {
        requests: this.requests.labels(...values),
        duration: this.duration.labels(...values),
        requestBytes: this.requestBytes.labels(...values),
        responseBytes: this.responseBytes.labels(...values),
      };
      this.requestChildren.set(key, children);
    }
    children.requests.inc();
    children.duration.observe(rec.durationMs);
    children.requestBytes.observe(rec.requestBytes);
    children.responseBytes.observe(rec.responseBytes);
  }

  tcpOpened(conn: TcpConnectionInfo): void {
    this.tcp(conn)?.opened.inc();
  }

  tcpBytes(conn: TcpConnectionInfo, sentBytes: number, receivedBytes: number): void {
    const c = this.tcp(conn);
    if (!c) return;
    if (sentBytes > 0) c.sent.inc(sentBytes);
    if (receivedBytes > 0) c.received.inc(receivedBytes);
  }

  tcpClosed(conn: TcpConnectionInfo): void {
    this.tcp(conn)?.closed.inc();
  }

  private tcp(conn: TcpConnectionInfo): TcpChildren | undefined {
    const values = peerLabelValues({ ...conn, protocol: 'tcp' }, this.clusterId);
    const key = values.join('\u0001');
    let children = this.tcpChildren.get(key);
    if (!children) {
      if (this.tcpChildren.size >= this.maxSeries) {
        this.dropped.inc();
        return undefined;
      }
      children = {
        opened: this.tcpOpenedTotal.labels(...values),
        closed: this.tcpClosedTotal.labels(...values),
        sent: this.tcpSent.labels(...values),
        received: this.tcpReceived.labels(...values),
      };
      // Istio exports all four series as soon as a connection exists, zeros included.
      children.sent.inc(0);
      children.received.inc(0);
      children.closed.inc(0);
      this.tcpChildren.set(key, children);
    }
    return children;
  }
}
