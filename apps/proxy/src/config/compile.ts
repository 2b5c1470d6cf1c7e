/**
 * ProxyConfig → the immutable runtime table the request path reads: host lookup map, routes with
 * precompiled matchers, clusters bound to their long-lived state. A request takes one reference to
 * a RuntimeConfig when it starts and uses only that, which is what makes a swap atomic.
 */
import type {
  Cluster,
  FaultPolicy,
  InboundConfig,
  OutlierDetection,
  ProxyConfig,
  RouteMatch,
  StringMatch,
  TelemetryConfig,
  TlsMode,
} from '@trellis/shared';
import type { ClusterState, ClusterStates, EndpointState } from '../cluster/state';
import { type CompiledHeaderOps, compileHeaderOps } from '../http/headers';
import type { PeerInfo } from '../telemetry/record';
import type { PoolLimits } from '../upstream/h1';
import { compileMatch, type Matcher, prefixLength } from './match';
import type { ConfigError } from './parse';

export interface EndpointRuntime {
  readonly state: EndpointState;
  readonly peer: PeerInfo;
  readonly tlsMode: TlsMode;
  readonly principal: string | undefined;
}

export interface ClusterLimits {
  maxConnections: number;
  maxPending: number;
  maxRequestsPerConnection: number;
  maxRetries: number;
}

export interface ClusterRuntime {
  readonly name: string;
  /** Service FQDN. */
  readonly service: string;
  /** First label of the FQDN, Istio's destination_service_name. */
  readonly serviceName: string;
  readonly port: number;
  readonly subset: string;
  readonly h2: boolean;
  readonly lb: Cluster['lb'];
  readonly endpoints: readonly EndpointRuntime[];
  readonly limits: ClusterLimits;
  readonly poolLimits: PoolLimits;
  readonly outlier: OutlierDetection | null;
  readonly state: ClusterState;
}

export interface CompiledMatch {
  readonly uri: Matcher | null;
  /** Length of a prefix uri match (for prefix rewrites); -1 for exact, regex or none. */
  readonly uriPrefixLength: number;
  readonly uriExact: boolean;
  readonly ignoreUriCase: boolean;
  readonly method: Matcher | null;
  readonly headers: readonly { name: string; matcher: Matcher; invert: boolean }[];
  readonly query: readonly { name: string; matcher: Matcher }[];
}

// Retry conditions as bits, so the retry layer tests one integer per try.
export const RetryOn = {
  '5xx': 1,
  'gateway-error': 2,
  'connect-failure': 4,
  reset: 8,
  'retriable-status-codes': 16,
  'refused-stream': 32,
  cancelled: 64,
  'deadline-exceeded': 128,
  internal: 256,
  'resource-exhausted': 512,
  unavailable: 1024,
} as const;

export interface CompiledRetry {
  readonly attempts: number;
  readonly perTryTimeoutMs: number;
  readonly on: number;
  readonly codes: ReadonlySet<number>;
}

export interface Destination {
  readonly cluster: ClusterRuntime;
  readonly weight: number;
  readonly request: CompiledHeaderOps;
  readonly response: CompiledHeaderOps;
}

export interface ForwardAction {
  readonly type: 'forward';
  readonly destinations: readonly Destination[];
  readonly totalWeight: number;
  readonly timeoutMs: number;
  readonly retry: CompiledRetry | null;
  readonly fault: FaultPolicy | null;
  readonly mirror: { cluster: ClusterRuntime; percent: number } | null;
  readonly rewriteUri: string | null;
  readonly rewriteAuthority: string | null;
  readonly request: CompiledHeaderOps;
  readonly response: CompiledHeaderOps;
}

export type CompiledAction = ForwardAction | { readonly type: 'direct'; status: number; body: string };

export interface CompiledRoute {
  readonly name: string;
  /** Empty matches everything. */
  readonly matches: readonly CompiledMatch[];
  readonly needsQuery: boolean;
  readonly action: CompiledAction;
}

export interface CompiledVirtualHost {
  readonly name: string;
  readonly port: number;
  readonly routes: readonly CompiledRoute[];
}

export interface RuntimeConfig {
  readonly version: string;
  readonly source: ProxyConfig;
  /** "host:port" (lowercase) → virtual host; includes Istio's short-name forms. */
  readonly hosts: ReadonlyMap<string, CompiledVirtualHost>;
  /** "*.suffix" domains, tried in order after an exact miss. */
  readonly wildcards: readonly { suffix: string; port: number; vhost: CompiledVirtualHost }[];
  readonly clusters: ReadonlyMap<string, ClusterRuntime>;
  /** The local app, as a one-endpoint cluster for the inbound stack. */
  readonly inboundCluster: ClusterRuntime;
  readonly inbound: InboundConfig;
  readonly telemetry: TelemetryConfig;
}

export type CompileOutcome =
  | { ok: true; config: RuntimeConfig; live: Map<string, Set<string>> }
  | { ok: false; error: ConfigError };

class CompileError extends Error {
  constructor(readonly error: ConfigError) {
    super(error.kind);
  }
}

export interface CompileContext {
  states: ClusterStates;
  /** The proxy's own namespace: short names ("reviews") resolve only within it, as in Kubernetes. */
  namespace: string;
}

export function compileConfig(cfg: ProxyConfig, ctx: CompileContext): CompileOutcome {
  try {
    return compileOrThrow(cfg, ctx);
  } catch (err) {
    if (err instanceof CompileError) return { ok: false, error: err.error };
    throw err;
  }
}

function compileOrThrow(cfg: ProxyConfig, ctx: CompileContext): CompileOutcome {
  const live = new Map<string, Set<string>>();
  const clusters = new Map<string, ClusterRuntime>();
  cfg.outbound.clusters.forEach((c, i) => {
    if (clusters.has(c.name))
      throw new CompileError({
        kind: 'duplicate',
        path: `outbound.clusters[${i}].name`,
        message: `duplicate cluster "${c.name}"`,
      });
    clusters.set(c.name, compileCluster(c, ctx.states, live));
  });

  const inboundName = `inbound|${cfg.inbound.appPort}||`;
  const inboundCluster = compileCluster(
    {
      name: inboundName,
      service: 'local-app',
      port: cfg.inbound.appPort,
      protocol: 'HTTP',
      lb: 'ROUND_ROBIN',
      endpoints: [
        {
          host: cfg.inbound.appHost,
          port: cfg.inbound.appPort,
          workload: '',
          namespace: '',
          labels: {},
          tlsMode: 'DISABLE',
        },
      ],
      connectionPool: {},
    },
    ctx.states,
    live,
  );

  const hosts = new Map<string, CompiledVirtualHost>();
  const wildcards: { suffix: string; port: number; vhost: CompiledVirtualHost }[] = [];
  cfg.outbound.virtualHosts.forEach((vh, i) => {
    const path = `outbound.virtualHosts[${i}]`;
    const compiled: CompiledVirtualHost = {
      name: vh.name,
      port: vh.port,
      routes: vh.routes.map((r, j) => compileRoute(r, `${path}.routes[${j}]`, clusters)),
    };
    for (const d of vh.domains) {
      const lower = d.toLowerCase();
      if (lower === '*') wildcards.push({ suffix: '', port: vh.port, vhost: compiled });
      else if (lower.startsWith('*.'))
        wildcards.push({ suffix: lower.slice(1), port: vh.port, vhost: compiled });
      else for (const form of hostForms(lower, ctx.namespace)) addHost(hosts, form, vh.port, compiled);
    }
  });
  // Longest suffix first, so "*.a.example.com" beats "*.example.com" and "*" comes last.
  wildcards.sort((a, b) => b.suffix.length - a.suffix.length);

  return {
    ok: true,
    live,
    config: {
      version: cfg.version,
      source: cfg,
      hosts,
      wildcards,
      clusters,
      inboundCluster,
      inbound: cfg.inbound,
      telemetry: cfg.telemetry,
    },
  };
}

function addHost(
  hosts: Map<string, CompiledVirtualHost>,
  host: string,
  port: number,
  vh: CompiledVirtualHost,
) {
  const key = host.includes(':') ? host : `${host}:${port}`;
  // First virtual host wins, as Envoy rejects duplicates and Istio merges before that.
  if (!hosts.has(key)) hosts.set(key, vh);
}

/**
 * The names a client may use for a service, as Istio's sidecar route config lists them:
 * "reviews.default.svc.cluster.local", "reviews.default.svc", "reviews.default", and "reviews"
 * within the same namespace.
 */
export function hostForms(domain: string, ownNamespace: string): string[] {
  const m = /^([^.:]+)\.([^.:]+)\.svc\.[^:]+$/.exec(domain);
  if (!m) return [domain];
  const [, name, ns] = m;
  const forms = [domain, `${name}.${ns}.svc`, `${name}.${ns}`];
  if (ns === ownNamespace) forms.push(name!);
  return forms;
}

function compileCluster(c: Cluster, states: ClusterStates, live: Map<string, Set<string>>): ClusterRuntime {
  const state = states.get(c.name);
  const keys = new Set<string>();
  live.set(c.name, keys);
  const endpoints: EndpointRuntime[] = c.endpoints.map((e) => {
    keys.add(`${e.host}:${e.port}`);
    return {
      state: state.endpoint(e.host, e.port),
      peer: {
        workload: e.workload,
        namespace: e.namespace,
        principal: e.principal ?? 'unknown',
        version: e.labels.version ?? 'unknown',
        app: e.labels.app ?? e.workload,
      },
      tlsMode: e.tlsMode,
      principal: e.principal,
    };
  });
  const p = c.connectionPool;
  const limits: ClusterLimits = {
    maxConnections: p.maxConnections ?? Number.POSITIVE_INFINITY,
    maxPending: p.http1MaxPendingRequests ?? Number.POSITIVE_INFINITY,
    maxRequestsPerConnection: p.maxRequestsPerConnection ?? 0,
    maxRetries: p.maxRetries ?? Number.POSITIVE_INFINITY,
  };
  return {
    name: c.name,
    service: c.service,
    serviceName: c.service.split('.')[0] ?? c.service,
    port: c.port,
    subset: c.subset ?? '',
    h2: c.protocol !== 'HTTP',
    lb: c.lb,
    endpoints,
    limits,
    poolLimits: {
      connections: p.maxConnections ?? null,
      maxRequestsPerConnection: limits.maxRequestsPerConnection,
    },
    outlier: c.outlierDetection ?? null,
    state,
  };
}

function compileRoute(
  r: ProxyConfig['outbound']['virtualHosts'][number]['routes'][number],
  path: string,
  clusters: Map<string, ClusterRuntime>,
): CompiledRoute {
  const matches = r.matches.map((m, i) => compileRouteMatch(m, `${path}.matches[${i}]`));
  const needsQuery = r.matches.some((m) => (m.queryParams?.length ?? 0) > 0);
  const a = r.action;
  if (a.type === 'direct')
    return { name: r.name, matches, needsQuery, action: { type: 'direct', status: a.status, body: a.body } };
  const cluster = (name: string, at: string): ClusterRuntime => {
    const c = clusters.get(name);
    if (!c) throw new CompileError({ kind: 'reference', path: at, message: `unknown cluster "${name}"` });
    return c;
  };
  const destinations = a.destinations.map((d, k) => ({
    cluster: cluster(d.cluster, `${path}.action.destinations[${k}].cluster`),
    weight: d.weight,
    request: compileHeaderOps(d.headers?.request),
    response: compileHeaderOps(d.headers?.response),
  }));
  const totalWeight = destinations.reduce((s, d) => s + d.weight, 0);
  if (totalWeight <= 0)
    throw new CompileError({
      kind: 'reference',
      path: `${path}.action.destinations`,
      message: 'destination weights add up to 0',
    });
  let retry: CompiledRetry | null = null;
  if (a.retry && a.retry.attempts > 0) {
    let on = 0;
    for (const cond of a.retry.retryOn) on |= RetryOn[cond.trim() as keyof typeof RetryOn] ?? 0;
    retry = {
      attempts: a.retry.attempts,
      perTryTimeoutMs: a.retry.perTryTimeoutMs ?? 0,
      on,
      codes: new Set(a.retry.retriableStatusCodes),
    };
  }
  return {
    name: r.name,
    matches,
    needsQuery,
    action: {
      type: 'forward',
      destinations,
      totalWeight,
      timeoutMs: a.timeoutMs ?? 0,
      retry,
      fault: a.fault && (a.fault.abort || a.fault.delay) ? a.fault : null,
      mirror: a.mirror
        ? { cluster: cluster(a.mirror.cluster, `${path}.action.mirror.cluster`), percent: a.mirror.percent }
        : null,
      rewriteUri: a.rewrite?.uri ?? null,
      rewriteAuthority: a.rewrite?.authority ?? null,
      request: compileHeaderOps(a.headers?.request),
      response: compileHeaderOps(a.headers?.response),
    },
  };
}

function matcher(m: StringMatch, at: string, ignoreCase = false): Matcher {
  const r = compileMatch(m, ignoreCase);
  if (!r.ok) throw new CompileError({ kind: 'regex', path: at, message: r.message });
  return r.matcher;
}

function compileRouteMatch(m: RouteMatch, path: string): CompiledMatch {
  const ignoreUriCase = m.ignoreUriCase === true;
  return {
    uri: m.uri ? matcher(m.uri, `${path}.uri`, ignoreUriCase) : null,
    uriPrefixLength: prefixLength(m.uri),
    uriExact: m.uri !== undefined && 'exact' in m.uri,
    ignoreUriCase,
    method: m.method ? matcher(m.method, `${path}.method`) : null,
    headers: (m.headers ?? []).map((h, i) => ({
      name: h.name.toLowerCase(),
      matcher: matcher(h.match, `${path}.headers[${i}].match`),
      invert: h.invert === true,
    })),
    query: (m.queryParams ?? []).map((q, i) => ({
      name: q.name,
      matcher: matcher(q.match, `${path}.queryParams[${i}].match`),
    })),
  };
}
