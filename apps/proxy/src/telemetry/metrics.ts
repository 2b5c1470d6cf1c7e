import { Counter, type Registry } from 'prom-client';
import { type CounterSeries, FastCounter, FastHistogram, type HistogramSeries } from './fast-metrics';
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
  requests: CounterSeries;
  duration: HistogramSeries;
  requestBytes: HistogramSeries;
  responseBytes: HistogramSeries;
}

interface TcpChildren {
  opened: CounterSeries;
  closed: CounterSeries;
  sent: CounterSeries;
  received: CounterSeries;
}

/**
 * Records each finished request into Istio's standard metrics. The request path calls record()
 * once per request; a label combination's series are found by one string key, then updated
 * with plain arithmetic (see fast-metrics.ts for why not prom-client's inc/observe).
 */
export class IstioMetrics implements RequestSink, TcpSink {
  private readonly requests: FastCounter;
  private readonly duration: FastHistogram;
  private readonly requestBytes: FastHistogram;
  private readonly responseBytes: FastHistogram;
  private readonly tcpOpenedTotal: FastCounter;
  private readonly tcpClosedTotal: FastCounter;
  private readonly tcpSent: FastCounter;
  private readonly tcpReceived: FastCounter;
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
    this.requests = new FastCounter({
      name: 'istio_requests_total',
      help: 'Total number of requests handled by the proxy.',
      labelNames: requestLabels,
      registers,
    });
    this.duration = new FastHistogram({
      name: 'istio_request_duration_milliseconds',
      help: 'Request duration in milliseconds.',
      labelNames: requestLabels,
      buckets: ISTIO_DURATION_BUCKETS_MS,
      registers,
    });
    this.requestBytes = new FastHistogram({
      name: 'istio_request_bytes',
      help: 'Request body size in bytes.',
      labelNames: requestLabels,
      buckets: ISTIO_SIZE_BUCKETS_BYTES,
      registers,
    });
    this.responseBytes = new FastHistogram({
      name: 'istio_response_bytes',
      help: 'Response body size in bytes.',
      labelNames: requestLabels,
      buckets: ISTIO_SIZE_BUCKETS_BYTES,
      registers,
    });
    this.tcpOpenedTotal = new FastCounter({
      name: 'istio_tcp_connections_opened_total',
      help: 'Total TCP connections opened.',
      labelNames: peerLabels,
      registers,
    });
    this.tcpClosedTotal = new FastCounter({
      name: 'istio_tcp_connections_closed_total',
      help: 'Total TCP connections closed.',
      labelNames: peerLabels,
      registers,
    });
    this.tcpSent = new FastCounter({
      name: 'istio_tcp_sent_bytes_total',
      help: 'Total bytes sent in response to a TCP connection.',
      labelNames: peerLabels,
      registers,
    });
    this.tcpReceived = new FastCounter({
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
        requests: this.requests.newSeries(values),
        duration: this.duration.newSeries(values),
        requestBytes: this.requestBytes.newSeries(values),
        responseBytes: this.responseBytes.newSeries(values),
      };
      this.requestChildren.set(key, children);
    }
    children.requests.value += 1;
    this.duration.observeIn(children.duration, rec.durationMs);
    this.requestBytes.observeIn(children.requestBytes, rec.requestBytes);
    this.responseBytes.observeIn(children.responseBytes, rec.responseBytes);
  }

  tcpOpened(conn: TcpConnectionInfo): void {
    const c = this.tcp(conn);
    if (c) c.opened.value += 1;
  }

  tcpBytes(conn: TcpConnectionInfo, sentBytes: number, receivedBytes: number): void {
    const c = this.tcp(conn);
    if (!c) return;
    if (sentBytes > 0) c.sent.value += sentBytes;
    if (receivedBytes > 0) c.received.value += receivedBytes;
  }

  tcpClosed(conn: TcpConnectionInfo): void {
    const c = this.tcp(conn);
    if (c) c.closed.value += 1;
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
      // Istio exports all four series as soon as a connection exists, zeros included.
      children = {
        opened: this.tcpOpenedTotal.newSeries(values),
        closed: this.tcpClosedTotal.newSeries(values),
        sent: this.tcpSent.newSeries(values),
        received: this.tcpReceived.newSeries(values),
      };
      this.tcpChildren.set(key, children);
    }
    return children;
  }
}
