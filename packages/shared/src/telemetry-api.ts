/**
 * The console's telemetry API: the service graph, golden-metric time series and traces, as the
 * control plane serves them under TELEMETRY_API_PREFIX (see docs/telemetry.md). Both telemetry
 * backends (built-in scraper, real Prometheus) answer with these same shapes.
 *
 * Units are in the names: *Ms milliseconds, *Seconds seconds, rates per second, *Share and
 * errorRate are fractions 0–1 (not percentages). Absent data is null, never 0, so a chart can
 * tell "no traffic" from "zero latency".
 */

export const TELEMETRY_API_PREFIX = '/api/v1/mesh';

/** Paths of the telemetry API (relative to the server root). */
export const TELEMETRY_PATHS = {
  /** GET ?window=60s[&namespace=ns1,ns2] → ServiceGraph */
  graph: `${TELEMETRY_API_PREFIX}/graph`,
  /** GET …/services/{namespace}/{service}/metrics?range=30m&step=15s[&end=ms][&reporter=destination] → ServiceMetrics */
  serviceMetrics: (namespace: string, service: string) =>
    `${TELEMETRY_API_PREFIX}/services/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}/metrics`,
  /** GET ?service=&operation=&minDurationMs=&error=true&start=ms&end=ms&limit=20 → TraceSearchResponse */
  traces: `${TELEMETRY_API_PREFIX}/traces`,
  /** GET → TraceDetail (404 when the store has no span of that trace) */
  trace: (traceId: string) => `${TELEMETRY_API_PREFIX}/traces/${encodeURIComponent(traceId)}`,
  /** GET → TraceServicesResponse: services and their operations seen in the trace store */
  traceServices: `${TELEMETRY_API_PREFIX}/trace-services`,
  /** GET → TelemetryStatus */
  status: `${TELEMETRY_API_PREFIX}/telemetry`,
  /** GET → PrometheusSdTargetGroup[] (Prometheus http_sd_configs format) */
  prometheusSd: '/api/v1/sd/prometheus',
  /** POST application/json | application/x-protobuf (OTLP/HTTP ExportTraceServiceRequest) */
  otlpTraces: '/v1/traces',
} as const;

export type TelemetryBackendKind = 'builtin' | 'prometheus';

export type RequestProtocol = 'http' | 'grpc' | 'tcp';

/** A time window ending at endMs (wall clock, ms since the epoch). */
export interface TimeWindow {
  startMs: number;
  endMs: number;
  windowSeconds: number;
}

/** Latency quantiles over a window, from the istio_request_duration_milliseconds histogram. */
export interface LatencyQuantiles {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/**
 * The golden signals of some traffic. An error is a response with code 5xx or 0 (no response,
 * e.g. reset or timeout before headers), or a gRPC status other than OK.
 */
export interface GoldenSignals extends LatencyQuantiles {
  /** Requests per second. */
  rps: number;
  /** Errors / requests, 0–1; null when there were no requests. */
  errorRate: number | null;
}

// ---------------------------------------------------------------------------------------------
// Service graph

/**
 * workload: a meshed workload (one node per workload, carrying its app and version labels; the
 *   console groups versions of one app). service: a destination known only by its service
 *   (no workload answered, e.g. a fault-injected abort or an unmeshed destination).
 * unknown: traffic from outside the mesh (source_workload="unknown").
 */
export type GraphNodeKind = 'workload' | 'service' | 'unknown';

export interface GraphNode {
  /** Stable across refreshes: "workload:NS/NAME", "service:FQDN", "unknown". */
  id: string;
  kind: GraphNodeKind;
  namespace: string;
  /** Workload name (kind workload). */
  workload?: string;
  /** The app label (Istio's app / canonical service); the workload name when unlabelled. */
  app?: string;
  /** The version label; "unknown" when unlabelled. */
  version?: string;
  /** Service FQDN (kind service, and the services a workload was seen serving). */
  services?: string[];
  /** Traffic into this node over the window (sum of incoming edges). */
  inbound: GoldenSignals;
  /** Requests per second this node sent (sum of outgoing edges). */
  outboundRps: number;
}

export interface GraphEdge extends GoldenSignals {
  /** "SOURCE_ID->TARGET_ID|PROTOCOL" */
  id: string;
  source: string;
  target: string;
  protocol: RequestProtocol;
  /** The destination service FQDN the requests were addressed to. */
  destinationService: string;
  /** Fraction of requests (tcp: of bytes) sent with connection_security_policy="mutual_tls". */
  mtlsShare: number | null;
  /** Requests per second by response code ("200", "503", "0"). */
  responseCodes: Record<string, number>;
  /** Requests per second by Envoy response flag ("FI", "URX", ...), requests without flags omitted. */
  responseFlags: Record<string, number>;
  /** TCP edges: bytes per second each way. */
  tcp?: { sentBytesPerSecond: number; receivedBytesPerSecond: number };
}

export interface ServiceGraph {
  backend: TelemetryBackendKind;
  window: TimeWindow;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

// ---------------------------------------------------------------------------------------------
// Golden metrics over time

/** One sample of a golden-signal series, at the end of its step. */
export interface GoldenPoint extends GoldenSignals {
  tMs: number;
}

export interface GoldenSeries {
  /** Version label ("unknown" when unlabelled); absent on the service total. */
  version?: string;
  /** The workload that reported it (absent on the service total). */
  workload?: string;
  points: GoldenPoint[];
}

export interface ServiceMetrics {
  backend: TelemetryBackendKind;
  service: { namespace: string; name: string; hostname: string };
  /** Which side's metrics: destination (what the service saw, default) or source (what clients saw). */
  reporter: 'source' | 'destination';
  window: TimeWindow & { stepSeconds: number };
  total: GoldenSeries;
  /** One series per destination version, sorted by version. */
  versions: GoldenSeries[];
}

// ---------------------------------------------------------------------------------------------
// Traces

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanStatus = 'unset' | 'ok' | 'error';
export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];

export interface TraceSpan {
  traceId: string;
  spanId: string;
  /** Absent on a root span. */
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  /** The resource's service.name ("unknown_service" when absent). */
  service: string;
  /** ms since the epoch, with sub-millisecond fraction. */
  startMs: number;
  durationMs: number;
  status: SpanStatus;
  statusMessage?: string;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
  events: { timeMs: number; name: string; attributes: Record<string, AttributeValue> }[];
  /** Instrumentation scope, e.g. "trellis-proxy" or "@opentelemetry/instrumentation-http". */
  scope?: string;
}

export interface TraceSummary {
  traceId: string;
  /** Root span's service and name; of the earliest span when the root has not arrived. */
  rootService: string;
  rootOperation: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  /** Spans per service. */
  services: { name: string; spanCount: number }[];
}

export interface TraceQuery {
  service?: string;
  operation?: string;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** true: only traces with an error span; false: only traces without. */
  error?: boolean;
  startMs?: number;
  endMs?: number;
  /** Default 20, at most 500. */
  limit?: number;
}

export interface TraceSearchResponse {
  /** Newest first. */
  traces: TraceSummary[];
  limit: number;
}

export interface TraceDetail {
  summary: TraceSummary;
  /** Sorted by start time; parents before children when they start together. */
  spans: TraceSpan[];
}

export interface TraceServicesResponse {
  services: { name: string; operations: string[] }[];
}

// ---------------------------------------------------------------------------------------------
// Status and service discovery

export interface TelemetryStatus {
  backend: TelemetryBackendKind;
  /** Set when backend is prometheus. */
  prometheusUrl?: string;
  scraper: {
    /** Sidecars being scraped (built-in backend; 0 with prometheus). */
    targets: number;
    healthyTargets: number;
    seriesHeld: number;
    maxSeries: number;
    /** Samples dropped because maxSeries was reached. */
    droppedSeries: number;
    intervalSeconds: number;
    lastScrapeMs: number | null;
  };
  traces: {
    spans: number;
    traces: number;
    maxSpans: number;
    maxAgeSeconds: number;
    /** Spans evicted (age or count) or refused since start. */
    evictedSpans: number;
    receivedSpans: number;
  };
}

/** Prometheus HTTP service discovery: https://prometheus.io/docs/prometheus/latest/http_sd/ */
export interface PrometheusSdTargetGroup {
  /** host:port of sidecar metrics listeners. */
  targets: string[];
  labels: Record<string, string>;
}
