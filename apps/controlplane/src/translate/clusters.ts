import type {
  Cluster,
  ClusterEndpoint,
  ConnectionPool,
  ConnectionPoolSettings,
  DestinationRuleResource,
  IstioOutlierDetection,
  LoadBalancer,
  LoadBalancerSettings,
  MeshEndpoint,
  OutlierDetection,
  ProxyIdentity,
  ServicePort,
  TlsMode,
  TrafficPolicy,
} from '@trellis/shared';
import { fqdn } from '@trellis/shared';
import { durationMs } from './duration';
import { clusterName, hostMatches, resolveHost } from './hosts';
import { selects } from './labels';
import type { MeshIndex } from './mesh-index';
import { effectiveMtls, modeForPort } from './peer-auth';
import type { ClusterRef } from './routes';

/** The fields of a TrafficPolicy that apply to one cluster, after port-level and subset overrides. */
export interface EffectivePolicy {
  loadBalancer?: LoadBalancerSettings;
  connectionPool?: ConnectionPoolSettings;
  outlierDetection?: IstioOutlierDetection;
  tls?: TrafficPolicy['tls'];
}

// Envoy's outlier detection defaults (cluster.OutlierDetection), which Istio leaves in place.
const OUTLIER_DEFAULTS = {
  consecutive5xx: 5,
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 10,
};

/**
 * Which DestinationRule applies to a host for a proxy: Istio looks in the proxy's namespace,
 * then the service's namespace, then the root namespace; an exact host beats a wildcard; the
 * oldest wins a tie.
 */
export function destinationRuleFor(
  index: MeshIndex,
  host: string,
  proxyNamespace: string,
): DestinationRuleResource | undefined {
  const serviceNs = index.servicesByHost.get(host)?.namespace;
  const namespaces = [proxyNamespace, serviceNs, index.settings.rootNamespace].filter(
    (n): n is string => n !== undefined,
  );
  for (const ns of namespaces) {
    const inNs = index.destinationRules.filter((dr) => dr.metadata.namespace === ns && dr.spec.host);
    const resolved = inNs.map((dr) => ({ dr, host: resolveHost(dr.spec.host ?? '', ns, 'cluster.local') }));
    const exact = resolved.find((r) => r.host === host);
    if (exact) return exact.dr;
    const wildcard = resolved.find((r) => r.host.includes('*') && hostMatches(r.host, host));
    if (wildcard) return wildcard.dr;
  }
  return undefined;
}

/** A TrafficPolicy with its matching portLevelSettings laid over it (each field replaced whole). */
function forPort(policy: TrafficPolicy | undefined, port: number): EffectivePolicy {
  if (!policy) return {};
  const out: EffectivePolicy = {
    ...(policy.loadBalancer ? { loadBalancer: policy.loadBalancer } : {}),
    ...(policy.connectionPool ? { connectionPool: policy.connectionPool } : {}),
    ...(policy.outlierDetection ? { outlierDetection: policy.outlierDetection } : {}),
    ...(policy.tls ? { tls: policy.tls } : {}),
  };
  const pls = policy.portLevelSettings?.find((p) => p.port?.number === port);
  if (pls?.loadBalancer) out.loadBalancer = pls.loadBalancer;
  if (pls?.connectionPool) out.connectionPool = pls.connectionPool;
  if (pls?.outlierDetection) out.outlierDetection = pls.outlierDetection;
  if (pls?.tls) out.tls = pls.tls;
  return out;
}

/**
 * pilot MergeTrafficPolicy: the subset's policy overrides the top-level one field by field
 * (loadBalancer, connectionPool, outlierDetection, tls each replaced whole, not deep-merged).
 */
export function effectivePolicy(
  dr: DestinationRuleResource | undefined,
  subset: string | undefined,
  port: number,
) {
  const top = forPort(dr?.spec.trafficPolicy, port);
  if (subset === undefined) return top;
  const sub = dr?.spec.subsets?.find((s) => s.name === subset);
  const over = forPort(sub?.trafficPolicy, port);
  return { ...top, ...over };
}

export function loadBalancer(lb: LoadBalancerSettings | undefined): LoadBalancer {
  switch (lb?.simple) {
    case 'LEAST_CONN':
    case 'LEAST_REQUEST':
      return 'LEAST_REQUEST';
    case 'RANDOM':
      return 'RANDOM';
    default:
      // ROUND_ROBIN; also UNSPECIFIED, PASSTHROUGH and consistentHash, which Trellis does not do yet.
      return 'ROUND_ROBIN';
  }
}

export function connectionPool(cp: ConnectionPoolSettings | undefined): ConnectionPool {
  const out: ConnectionPool = {};
  // As in pilot applyConnectionPool, 0 means "not set" (proto3 cannot tell them apart).
  if (cp?.tcp?.maxConnections) out.maxConnections = cp.tcp.maxConnections;
  if (cp?.http?.http1MaxPendingRequests) out.http1MaxPendingRequests = cp.http.http1MaxPendingRequests;
  if (cp?.http?.maxRequestsPerConnection) out.maxRequestsPerConnection = cp.http.maxRequestsPerConnection;
  if (cp?.http?.maxRetries) out.maxRetries = cp.http.maxRetries;
  return out;
}

/**
 * Outlier detection with Envoy's defaults for what is unset. The legacy `consecutiveErrors`
 * counted 502/503/504 only (Istio ≤1.4 mapped it to Envoy's gateway failures and switched the
 * 5xx counter off), so it becomes consecutiveGatewayErrors unless that is set.
 */
export function outlierDetection(od: IstioOutlierDetection | undefined): OutlierDetection | undefined {
  if (!od) return undefined;
  const legacy = od.consecutiveErrors;
  const five = od.consecutive5xxErrors ?? (legacy !== undefined ? 0 : OUTLIER_DEFAULTS.consecutive5xx);
  const gateway = od.consecutiveGatewayErrors ?? legacy ?? 0;
  const out: OutlierDetection = {
    intervalMs: durationMs(od.interval) ?? OUTLIER_DEFAULTS.intervalMs,
    baseEjectionTimeMs: durationMs(od.baseEjectionTime) ?? OUTLIER_DEFAULTS.baseEjectionTimeMs,
    maxEjectionPercent:
      od.maxEjectionPercent !== undefined && od.maxEjectionPercent > 0
        ? od.maxEjectionPercent
        : OUTLIER_DEFAULTS.maxEjectionPercent,
  };
  if (five > 0) out.consecutive5xxErrors = five;
  if (gateway > 0) out.consecutiveGatewayErrors = gateway;
  return out;
}

function protocolOf(port: ServicePort | undefined): Cluster['protocol'] {
  switch (port?.protocol) {
    case 'HTTP2':
      return 'HTTP2';
    case 'GRPC':
      return 'GRPC';
    default:
      // The mesh only carries HTTP; TCP ports are proxied as HTTP/1.1 for now.
      return 'HTTP';
  }
}

/** Host part of a MeshEndpoint address, which may be "host", "host:port" or "[v6]:port". */
export function endpointHost(ep: MeshEndpoint): string {
  const a = ep.address;
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']'));
  const colon = a.lastIndexOf(':');
  return colon > 0 && a.indexOf(':') === colon ? a.slice(0, colon) : a;
}

export function endpointHostname(ep: MeshEndpoint): string {
  return fqdn(ep.service, ep.namespace);
}

/**
 * Auto-mTLS (Istio's enableAutoMtls): an explicit DestinationRule tls mode decides; without one,
 * ISTIO_MUTUAL when the endpoint has a sidecar and its own PeerAuthentication does not DISABLE
 * mTLS on the port it listens on.
 */
function tlsModeFor(index: MeshIndex, ep: MeshEndpoint, drMode: string | undefined): TlsMode {
  if (drMode === 'ISTIO_MUTUAL') return 'ISTIO_MUTUAL';
  // DISABLE, and SIMPLE/MUTUAL (TLS origination to non-mesh servers, not supported yet): no mesh mTLS.
  if (drMode !== undefined) return 'DISABLE';
  if (!ep.hasSidecar) return 'DISABLE';
  const peer = effectiveMtls(index, ep.namespace, ep.labels);
  return modeForPort(peer, ep.targetPort) === 'DISABLE' ? 'DISABLE' : 'ISTIO_MUTUAL';
}

export function buildCluster(index: MeshIndex, ref: ClusterRef, proxy: ProxyIdentity): Cluster {
  const dr = destinationRuleFor(index, ref.host, proxy.namespace);
  const policy = effectivePolicy(dr, ref.subset, ref.port);
  const service = index.servicesByHost.get(ref.host);
  const subsetDef =
    ref.subset === undefined ? undefined : dr?.spec.subsets?.find((s) => s.name === ref.subset);
  const trustDomain = index.settings.trustDomain;
  const endpoints: ClusterEndpoint[] = [];
  // A subset no DestinationRule defines selects nothing: the proxy answers 503 (no healthy upstream).
  if (ref.subset === undefined || subsetDef) {
    for (const ep of index.endpoints) {
      if (ep.servicePort !== ref.port || endpointHostname(ep) !== ref.host) continue;
      if (subsetDef && !selects(subsetDef.labels, ep.labels)) continue;
      const tlsMode = tlsModeFor(index, ep, policy.tls?.mode);
      endpoints.push({
        host: endpointHost(ep),
        port: ep.port,
        workload: ep.workload,
        namespace: ep.namespace,
        labels: { ...ep.labels },
        tlsMode,
        ...(tlsMode === 'ISTIO_MUTUAL'
          ? { principal: `spiffe://${trustDomain}/ns/${ep.namespace}/sa/${ep.serviceAccount}` }
          : {}),
      });
    }
  }
  endpoints.sort((a, b) => (`${a.host}:${a.port}` < `${b.host}:${b.port}` ? -1 : 1));
  const od = outlierDetection(policy.outlierDetection);
  return {
    name: clusterName(ref.host, ref.port, ref.subset),
    service: ref.host,
    port: ref.port,
    ...(ref.subset !== undefined ? { subset: ref.subset } : {}),
    protocol: protocolOf(service?.ports.find((p) => p.port === ref.port)),
    lb: loadBalancer(policy.loadBalancer),
    endpoints,
    connectionPool: connectionPool(policy.connectionPool),
    ...(od ? { outlierDetection: od } : {}),
  };
}
