/**
 * ProxyConfig: everything one sidecar needs, computed by translate(snapshot, proxy) in the
 * control plane and pushed over ConfigDiscovery. The proxy never sees Istio resources; it
 * parses this at its edge (see apps/proxy) and swaps it in atomically.
 *
 * Units are in the names: *Ms milliseconds, *Percent 0–100.
 */

/** Who a proxy says it is when it connects. */
export interface ProxyIdentity {
  /** Unique per proxy instance, e.g. "reviews-v2.default". */
  id: string;
  workload: string;
  namespace: string;
  serviceAccount: string;
  labels: Record<string, string>;
  /** The services (and their ports) this workload serves. */
  services: { name: string; port: number }[];
  /** Where peers reach this sidecar's inbound listener: host:port. */
  inboundAddress: string;
  /** The port the app listens on behind the sidecar; when absent the first service port is assumed. */
  appPort?: number;
  /** host:port of the sidecar's Prometheus metrics listener; absent when it has none. */
  metricsAddress?: string;
  /**
   * host:port of the sidecar's admin listener (/clusters, /certs), read by the control plane for
   * the console's ejection and certificate views; absent from proxies that do not send it.
   */
  adminAddress?: string;
}

export type StringMatch = { exact: string } | { prefix: string } | { regex: string };

export interface HeaderMatch {
  name: string;
  match: StringMatch;
  /** True for VirtualService `withoutHeaders`: the route matches when this header does NOT match. */
  invert?: boolean;
}

/** All present conditions must hold (AND). sourceLabels are resolved by translate, not here. */
export interface RouteMatch {
  uri?: StringMatch;
  method?: StringMatch;
  headers?: HeaderMatch[];
  queryParams?: { name: string; match: StringMatch }[];
  ignoreUriCase?: boolean;
}

export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}

export interface HeaderPolicy {
  request?: HeaderOperations;
  response?: HeaderOperations;
}

export interface RetryPolicy {
  /** Retries after the first try (Istio `attempts`). */
  attempts: number;
  perTryTimeoutMs?: number;
  /** Envoy retry_on conditions: 5xx, gateway-error, connect-failure, reset, retriable-status-codes, ... */
  retryOn: string[];
  retriableStatusCodes: number[];
}

export interface FaultPolicy {
  delay?: { fixedDelayMs: number; percent: number };
  abort?: { httpStatus?: number; grpcStatus?: number; percent: number };
}

export interface WeightedCluster {
  cluster: string;
  weight: number;
  headers?: HeaderPolicy;
}

export type RouteAction =
  | {
      type: 'forward';
      destinations: WeightedCluster[];
      timeoutMs?: number;
      retry?: RetryPolicy;
      fault?: FaultPolicy;
      mirror?: { cluster: string; percent: number };
      rewrite?: { uri?: string; authority?: string };
      headers?: HeaderPolicy;
    }
  | { type: 'direct'; status: number; body: string };

export interface Route {
  /** "<namespace>/<virtualservice>/<http route index or name>", or "default" */
  name: string;
  /** OR of matches; empty means match everything. */
  matches: RouteMatch[];
  action: RouteAction;
}

export interface VirtualHost {
  /** "reviews.default.svc.cluster.local:9080" */
  name: string;
  /** Host header values this answers (without port): FQDN, short names, wildcards "*.example.com". */
  domains: string[];
  port: number;
  /** First match wins. */
  routes: Route[];
}

export type TlsMode = 'ISTIO_MUTUAL' | 'DISABLE';

export interface ClusterEndpoint {
  /** Host and port of the peer sidecar's inbound listener (or the app itself when unmeshed). */
  host: string;
  port: number;
  workload: string;
  namespace: string;
  labels: Record<string, string>;
  /** Auto-mTLS: ISTIO_MUTUAL when the peer has a sidecar and policy allows. */
  tlsMode: TlsMode;
  /** The SPIFFE id the peer must present when tlsMode is ISTIO_MUTUAL. */
  principal?: string;
}

export type LoadBalancer = 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM';

export interface ConnectionPool {
  maxConnections?: number;
  http1MaxPendingRequests?: number;
  maxRequestsPerConnection?: number;
  maxRetries?: number;
}

export interface OutlierDetection {
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  intervalMs: number;
  baseEjectionTimeMs: number;
  maxEjectionPercent: number;
}

export interface Cluster {
  /** Envoy-style: "outbound|9080|v1|reviews.default.svc.cluster.local" (subset empty when none). */
  name: string;
  /** Service FQDN. */
  service: string;
  port: number;
  subset?: string;
  protocol: 'HTTP' | 'HTTP2' | 'GRPC';
  lb: LoadBalancer;
  endpoints: ClusterEndpoint[];
  connectionPool: ConnectionPool;
  outlierDetection?: OutlierDetection;
}

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface StringPattern {
  /** Istio's forms: exact "x", prefix "x*", suffix "*x", presence "*". */
  values: string[];
  notValues: string[];
}

export interface AuthorizationRule {
  from: { principals?: StringPattern; namespaces?: StringPattern }[];
  to: { paths?: StringPattern; methods?: StringPattern; hosts?: StringPattern; ports?: StringPattern }[];
}

export interface AuthorizationPolicyConfig {
  /** "<namespace>/<name>" */
  name: string;
  action: 'ALLOW' | 'DENY';
  rules: AuthorizationRule[];
}

export interface InboundConfig {
  /** Where the app listens (the proxy forwards inbound traffic there). */
  appHost: string;
  appPort: number;
  mtls: { mode: MtlsMode; portLevel: Record<string, MtlsMode> };
  /** The policies that select this workload, DENY and ALLOW, already filtered by selector. */
  authorization: AuthorizationPolicyConfig[];
}

/** OTLP/HTTP encodings (the OTEL_EXPORTER_OTLP_PROTOCOL values). */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TelemetryConfig {
  accessLog: boolean;
  /** otlpProtocol defaults to http/protobuf, as OpenTelemetry's exporters do. */
  tracing: { samplingPercent: number; otlpEndpoint?: string; otlpProtocol?: OtlpProtocol };
}

export interface ProxyConfig {
  /** Monotonic config version (the mesh snapshot version it was computed from). */
  version: string;
  outbound: { virtualHosts: VirtualHost[]; clusters: Cluster[] };
  inbound: InboundConfig;
  telemetry: TelemetryConfig;
}
