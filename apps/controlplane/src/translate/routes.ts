import type {
  Destination,
  FaultPolicy,
  HeaderPolicy,
  HTTPFaultInjection,
  HTTPRoute,
  IstioHeaderOperations,
  IstioHeaders,
  ProxyIdentity,
  Route,
  RouteAction,
  VirtualServiceResource,
  WeightedCluster,
} from '@trellis/shared';
import { durationMs } from './duration';
import { clusterName, resolveHost } from './hosts';
import { matchAppliesTo, routeMatch } from './match';
import type { MeshIndex } from './mesh-index';
import { defaultRetryPolicy, retryPolicy } from './retry';
import { normaliseWeights } from './weights';

/** A cluster a route points at; translate builds one Cluster per distinct ref. */
export interface ClusterRef {
  host: string;
  port: number;
  subset?: string;
}

export const DEFAULT_ROUTE_NAME = 'default';

// gRPC status names (google.rpc.Code) for fault.abort.grpcStatus.
const GRPC_CODES: Record<string, number> = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};

/** The route every service gets when no VirtualService applies: all its endpoints, default retries. */
export function defaultRoute(host: string, port: number): Route {
  return {
    name: DEFAULT_ROUTE_NAME,
    matches: [],
    action: {
      type: 'forward',
      destinations: [{ cluster: clusterName(host, port), weight: 100 }],
      retry: defaultRetryPolicy(),
    },
  };
}

/**
 * pilot GetDestinationCluster: an explicit destination port wins; else the service's only port;
 * else the port the request came in on.
 */
export function destinationRef(
  dest: Destination | undefined,
  vsNamespace: string,
  listenerPort: number,
  index: MeshIndex,
): ClusterRef {
  const host = resolveHost(dest?.host ?? '', vsNamespace, 'cluster.local');
  let port = listenerPort;
  const explicit = dest?.port?.number;
  const service = index.servicesByHost.get(host);
  if (explicit !== undefined && explicit > 0) port = explicit;
  else if (service && service.ports.length === 1) port = service.ports[0]!.port;
  const subset = dest?.subset !== undefined && dest.subset !== '' ? dest.subset : undefined;
  return subset === undefined ? { host, port } : { host, port, subset };
}

function headerOperations(ops: IstioHeaderOperations | undefined) {
  if (!ops) return undefined;
  const out: { set?: Record<string, string>; add?: Record<string, string>; remove?: string[] } = {};
  if (ops.set && Object.keys(ops.set).length > 0) out.set = { ...ops.set };
  if (ops.add && Object.keys(ops.add).length > 0) out.add = { ...ops.add };
  if (ops.remove && ops.remove.length > 0) out.remove = [...ops.remove];
  return Object.keys(out).length > 0 ? out : undefined;
}

export function headerPolicy(headers: IstioHeaders | undefined): HeaderPolicy | undefined {
  if (!headers) return undefined;
  const request = headerOperations(headers.request);
  const response = headerOperations(headers.response);
  if (!request && !response) return undefined;
  return { ...(request ? { request } : {}), ...(response ? { response } : {}) };
}

/**
 * pilot TranslateFault: a delay or abort without a percentage applies to no request (Istio
 * documents "if left unspecified, no request will be delayed/aborted"); exponential delays and
 * HTTP/2 errors are not supported and dropped, as Istio drops what Envoy cannot do.
 */
export function faultPolicy(fault: HTTPFaultInjection | undefined): FaultPolicy | undefined {
  if (!fault) return undefined;
  const out: FaultPolicy = {};
  const delayMs = durationMs(fault.delay?.fixedDelay);
  if (fault.delay && delayMs !== undefined) {
    out.delay = { fixedDelayMs: delayMs, percent: fault.delay.percentage?.value ?? fault.delay.percent ?? 0 };
  }
  if (fault.abort) {
    const percent = fault.abort.percentage?.value ?? 0;
    if (fault.abort.httpStatus !== undefined) out.abort = { httpStatus: fault.abort.httpStatus, percent };
    else if (fault.abort.grpcStatus !== undefined) {
      const code = GRPC_CODES[fault.abort.grpcStatus.toUpperCase()];
      if (code !== undefined) out.abort = { grpcStatus: code, percent };
    }
  }
  return out.delay || out.abort ? out : undefined;
}

function mirrorOf(
  route: HTTPRoute,
  vsNamespace: string,
  port: number,
  index: MeshIndex,
): { ref: ClusterRef; percent: number } | undefined {
  if (route.mirror?.host) {
    // pilot MirrorPercent: 100 unless a percentage is given; an explicit 0 turns mirroring off.
    const percent = route.mirrorPercentage?.value ?? route.mirrorPercent ?? 100;
    if (percent <= 0) return undefined;
    return { ref: destinationRef(route.mirror, vsNamespace, port, index), percent };
  }
  const first = route.mirrors?.find((m) => m.destination?.host);
  if (first) {
    const percent = first.percentage?.value ?? 100;
    if (percent <= 0) return undefined;
    return { ref: destinationRef(first.destination, vsNamespace, port, index), percent };
  }
  return undefined;
}

function forwardAction(
  route: HTTPRoute,
  vsNamespace: string,
  port: number,
  index: MeshIndex,
  refs: ClusterRef[],
): RouteAction {
  const dests = route.route ?? [];
  // pilot: one destination takes all traffic whatever its weight; with several, weight 0 is dropped.
  const weights = normaliseWeights(dests.map((d) => (dests.length === 1 ? 100 : (d.weight ?? 0))));
  const destinations: WeightedCluster[] = [];
  dests.forEach((d, i) => {
    const weight = weights[i] ?? 0;
    if (weight <= 0) return;
    const ref = destinationRef(d.destination, vsNamespace, port, index);
    refs.push(ref);
    const headers = headerPolicy(d.headers);
    destinations.push({
      cluster: clusterName(ref.host, ref.port, ref.subset),
      weight,
      ...(headers ? { headers } : {}),
    });
  });
  const action: Extract<RouteAction, { type: 'forward' }> = { type: 'forward', destinations };
  const timeout = durationMs(route.timeout);
  // Istio's default route timeout is none; "0s" also means none.
  if (timeout !== undefined && timeout > 0) action.timeoutMs = timeout;
  const retry = retryPolicy(route.retries);
  if (retry) action.retry = retry;
  const fault = faultPolicy(route.fault);
  if (fault) action.fault = fault;
  const mirror = mirrorOf(route, vsNamespace, port, index);
  if (mirror) {
    refs.push(mirror.ref);
    action.mirror = {
      cluster: clusterName(mirror.ref.host, mirror.ref.port, mirror.ref.subset),
      percent: mirror.percent,
    };
  }
  if (route.rewrite && (route.rewrite.uri || route.rewrite.authority)) {
    action.rewrite = {
      ...(route.rewrite.uri ? { uri: route.rewrite.uri } : {}),
      ...(route.rewrite.authority ? { authority: route.rewrite.authority } : {}),
    };
  }
  const headers = headerPolicy(route.headers);
  if (headers) action.headers = headers;
  return action;
}

function directBody(route: HTTPRoute): string {
  const body = route.directResponse?.body;
  if (body?.string !== undefined) return body.string;
  if (body?.bytes !== undefined) return Buffer.from(body.bytes, 'base64').toString('utf8');
  return '';
}

function routeAction(
  route: HTTPRoute,
  vsNamespace: string,
  port: number,
  index: MeshIndex,
  refs: ClusterRef[],
): RouteAction | undefined {
  if (route.directResponse) {
    return { type: 'direct', status: route.directResponse.status ?? 200, body: directBody(route) };
  }
  if (route.redirect) {
    // ProxyConfig has no redirect action yet: answer visibly rather than fall through to a later route.
    return { type: 'direct', status: 501, body: 'HTTP redirect routes are not supported by Trellis yet\n' };
  }
  if (route.delegate) return undefined;
  if (!route.route || route.route.length === 0) return undefined;
  return forwardAction(route, vsNamespace, port, index, refs);
}

/**
 * The routes one VirtualService gives this proxy on one port, in order; [] when none applies
 * (then the caller falls back to the default route, as pilot does when no route matched).
 * Matches that cannot apply to this proxy (sourceLabels, sourceNamespace, port, gateways) are
 * dropped; a route left without any of its matches is dropped.
 */
export function virtualServiceRoutes(
  vs: VirtualServiceResource,
  proxy: ProxyIdentity,
  port: number,
  index: MeshIndex,
  refs: ClusterRef[],
): Route[] {
  const ns = vs.metadata.namespace;
  const out: Route[] = [];
  (vs.spec.http ?? []).forEach((http, i) => {
    const declared = http.match ?? [];
    const applicable = declared.filter((m) => matchAppliesTo(m, proxy, port));
    if (declared.length > 0 && applicable.length === 0) return;
    const routeRefs: ClusterRef[] = [];
    const action = routeAction(http, ns, port, index, routeRefs);
    if (!action) return;
    refs.push(...routeRefs);
    out.push({
      name: `${ns}/${vs.metadata.name}/${http.name ?? i}`,
      matches: applicable.map(routeMatch),
      action,
    });
  });
  return out;
}
