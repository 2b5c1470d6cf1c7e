import type {
  Destination,
  HTTPFaultInjection,
  HTTPMatchRequest,
  HTTPRedirect,
  HTTPRetry,
  HTTPRoute,
  HTTPRouteDestination,
  RouteDestination,
  VirtualServiceSpec,
} from '../resources';
import type { Findings, Path } from './causes';
import {
  authorityRewriteProblem,
  checkHeaderOperations,
  isJwtClaimHeader,
  matchHeaderNameProblem,
} from './headers';
import { isDns1123Label, isIpAddress, wildcardDomainProblem } from './names';
import {
  checkDuration,
  checkExportTo,
  checkLabels,
  checkPercentage,
  checkPort,
  checkRegex,
  checkStringMatch,
} from './rules';
import {
  checkCors,
  checkGatewayNames,
  checkL4Match,
  checkTlsMatch,
  hostsOverlap,
} from './virtual-service-parts';

/** Istio's ValidateVirtualService (pkg/config/validation), with Kubernetes field paths. */
export function checkVirtualService(f: Findings, spec: VirtualServiceSpec, namespace: string): void {
  const s: Path = ['spec'];
  const hosts = spec.hosts ?? [];
  const gateways = spec.gateways ?? [];
  if (hosts.length === 0) {
    // No hosts: a delegate VirtualService, which only carries HTTP routes.
    if (gateways.length > 0)
      f.invalid([...s, 'gateways'], 'delegate virtual service must have no gateways specified');
    if (spec.tls?.length)
      f.invalid([...s, 'tls'], 'delegate virtual service must have no tls route specified');
    if (spec.tcp?.length)
      f.invalid([...s, 'tcp'], 'delegate virtual service must have no tcp route specified');
  }
  checkGatewayNames(f, [...s, 'gateways'], gateways);
  const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');

  let allHostsValid = true;
  hosts.forEach((host, i) => {
    const problem = wildcardDomainProblem(host);
    if (problem && !isIpAddress(host)) {
      f.invalid([...s, 'hosts', i], problem);
      allHostsValid = false;
    } else if (!problem && appliesToMesh && host === '*') {
      f.invalid(
        [...s, 'hosts', i],
        'wildcard host * is not allowed for virtual services bound to the mesh gateway',
      );
      allHostsValid = false;
    }
  });
  if (allHostsValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) {
        const a = hosts[i] ?? '';
        const b = hosts[j] ?? '';
        if (hostsOverlap(a, b))
          f.duplicate([...s, 'hosts', j], `duplicate hosts in virtual service: ${a} & ${b}`);
      }
    }
  }

  if (!spec.http?.length && !spec.tcp?.length && !spec.tls?.length) {
    f.required(s, 'http, tcp or tls must be provided in virtual service');
  }
  const onGatewayOnly = gateways.length > 0 && !gateways.includes('mesh');
  (spec.http ?? []).forEach((route, i) => {
    checkHttpRoute(f, [...s, 'http', i], route, hosts.length === 0, onGatewayOnly);
  });
  (spec.tls ?? []).forEach((route, i) => {
    const at = [...s, 'tls', i];
    if (!route.match?.length)
      f.required([...at, 'match'], 'TLS route must have at least one match condition');
    route.match?.forEach((m, j) => {
      checkTlsMatch(f, [...at, 'match', j], m, hosts);
    });
    if (!route.route?.length) f.required([...at, 'route'], 'TLS route is required');
    checkRouteDestinations(f, [...at, 'route'], route.route ?? []);
  });
  (spec.tcp ?? []).forEach((route, i) => {
    const at = [...s, 'tcp', i];
    route.match?.forEach((m, j) => {
      checkL4Match(f, [...at, 'match', j], m);
    });
    if (!route.route?.length) f.required([...at, 'route'], 'TCP route is required');
    checkRouteDestinations(f, [...at, 'route'], route.route ?? []);
  });
  checkExportTo(f, [...s, 'exportTo'], namespace, spec.exportTo);
  warnUnreachable(f, spec.http ?? []);
}

function checkHttpRoute(
  f: Findings,
  at: Path,
  http: HTTPRoute,
  inDelegate: boolean,
  onGatewayOnly: boolean,
): void {
  checkRouteConflicts(f, at, http, inDelegate);
  http.match?.forEach((m, i) => {
    checkHttpMatch(f, [...at, 'match', i], m, onGatewayOnly);
  });
  checkHeaderOperations(f, [...at, 'headers'], http.headers);
  checkCors(f, [...at, 'corsPolicy'], http.corsPolicy);
  checkFault(f, [...at, 'fault'], http.fault);

  if (http.mirrorPercent !== undefined || http.mirror_percent !== undefined) {
    const key = http.mirrorPercent !== undefined ? 'mirrorPercent' : 'mirror_percent';
    const value = http.mirrorPercent ?? http.mirror_percent ?? 0;
    if (value < 0 || value > 100)
      f.invalid([...at, key], `mirror_percent must be in range 0..100 (it has ${value})`);
    f.warn([...at, key], `using deprecated setting "${key}", use "mirrorPercentage" instead`);
  }
  checkPercentage(f, [...at, 'mirrorPercentage'], http.mirrorPercentage);
  if (http.mirror) checkDestination(f, [...at, 'mirror'], http.mirror);
  http.mirrors?.forEach((m, i) => {
    const mat = [...at, 'mirrors', i];
    if (!m.destination) f.required([...mat, 'destination'], 'destination is required for mirrors');
    else checkDestination(f, [...mat, 'destination'], m.destination);
    checkPercentage(f, [...mat, 'percentage'], m.percentage);
  });
  checkRedirect(f, [...at, 'redirect'], http.redirect, http.match ?? []);
  if (http.directResponse) {
    const status = http.directResponse.status ?? 0;
    if (status < 200 || status > 599) {
      f.invalid([...at, 'directResponse', 'status'], `HTTP status ${status} is not in range 200-599`);
    }
    const body = http.directResponse.body;
    const size = Buffer.byteLength(body?.string ?? '') + Math.floor(((body?.bytes ?? '').length * 3) / 4);
    if (size > 1024 * 1024) {
      f.invalid([...at, 'directResponse', 'body'], 'direct response bodies must be less than 1MB');
    } else if (size > 100 * 1024) {
      f.warn(
        [...at, 'directResponse', 'body'],
        'large direct_responses may impact control plane performance',
      );
    }
  }
  checkRetries(f, [...at, 'retries'], http.retries);
  const rewrite = http.rewrite;
  if (rewrite) {
    const rat = [...at, 'rewrite'];
    if (rewrite.uri && rewrite.uriRegexRewrite)
      f.invalid(rat, 'rewrite may only contain one of uri or uriRegexRewrite');
    if (!rewrite.uri && !rewrite.uriRegexRewrite && !rewrite.authority) {
      f.required(rat, 'rewrite must specify at least one of uri, uriRegexRewrite or authority');
    }
    const rr = rewrite.uriRegexRewrite;
    if (rr) {
      if (!rr.match || !rr.rewrite) {
        f.required(
          [...rat, 'uriRegexRewrite'],
          'uriRegexRewrite requires both rewrite and match fields to be specified',
        );
      }
      if (rr.match) checkRegex(f, [...rat, 'uriRegexRewrite', 'match'], rr.match);
    }
  }
  const authority = authorityRewriteProblem(rewrite?.authority, http.headers);
  if (authority) f.invalid([...at, 'headers', 'request'], authority);
  checkHttpRouteDestinations(f, [...at, 'route'], http.route ?? []);
  checkDuration(f, [...at, 'timeout'], http.timeout);
}

function checkRouteConflicts(f: Findings, at: Path, http: HTTPRoute, inDelegate: boolean): void {
  const hasRoute = (http.route?.length ?? 0) > 0;
  if (http.delegate) {
    if (inDelegate) f.invalid([...at, 'delegate'], 'delegate HTTP route cannot contain delegate');
    else {
      if (http.redirect) f.invalid([...at, 'redirect'], 'root HTTP route must not specify redirect');
      if (http.route) f.invalid([...at, 'route'], 'root HTTP route must not specify route');
      return;
    }
  }
  if (http.redirect) {
    if (hasRoute) f.invalid([...at, 'redirect'], 'HTTP route cannot contain both route and redirect');
    if (http.fault) f.invalid([...at, 'fault'], 'HTTP route cannot contain both fault and redirect');
    if (http.rewrite)
      f.invalid([...at, 'rewrite'], 'HTTP route rule cannot contain both rewrite and redirect');
    if (http.directResponse) {
      f.invalid([...at, 'directResponse'], 'HTTP route rule cannot contain both directResponse and redirect');
    }
  } else if (http.directResponse) {
    if (hasRoute)
      f.invalid([...at, 'directResponse'], 'HTTP route cannot contain both route and directResponse');
    if (http.fault) f.invalid([...at, 'fault'], 'HTTP route cannot contain both fault and directResponse');
    if (http.rewrite)
      f.invalid([...at, 'rewrite'], 'HTTP route rule cannot contain both rewrite and directResponse');
  } else if (!hasRoute && !http.delegate) {
    f.required([...at, 'route'], 'HTTP route, redirect or directResponse is required');
  }
  if (http.mirror && http.mirrors?.length)
    f.invalid([...at, 'mirrors'], 'HTTP route cannot contain both mirror and mirrors');
}

function checkHttpMatch(f: Findings, at: Path, m: HTTPMatchRequest, onGatewayOnly: boolean): void {
  for (const field of ['headers', 'withoutHeaders'] as const) {
    for (const [name, sm] of Object.entries(m[field] ?? {})) {
      const problem = matchHeaderNameProblem(name);
      if (problem) f.invalid([...at, field, name], problem);
      if (isJwtClaimHeader(name) && !onGatewayOnly) {
        f.invalid(
          [...at, field, name],
          `JWT claim based routing (key: ${name}) is only supported for gateway`,
        );
      }
      // In withoutHeaders, regex "*" is not a regex: it means "header present".
      if (field === 'withoutHeaders' && sm.regex === '*') continue;
      checkStringMatch(f, [...at, field, name], sm);
    }
  }
  checkStringMatch(f, [...at, 'uri'], m.uri, true);
  checkStringMatch(f, [...at, 'scheme'], m.scheme);
  checkStringMatch(f, [...at, 'method'], m.method);
  checkStringMatch(f, [...at, 'authority'], m.authority);
  for (const [name, sm] of Object.entries(m.queryParams ?? {}))
    checkStringMatch(f, [...at, 'queryParams', name], sm);
  if (m.port !== undefined && m.port !== 0) checkPort(f, [...at, 'port'], m.port);
  checkLabels(f, [...at, 'sourceLabels'], m.sourceLabels);
  checkGatewayNames(f, [...at, 'gateways'], m.gateways ?? []);
  if (m.sourceNamespace && !isDns1123Label(m.sourceNamespace)) {
    f.invalid([...at, 'sourceNamespace'], `sourceNamespace match ${m.sourceNamespace} is invalid`);
  }
}

const GRPC_STATUSES = new Set([
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
]);

function checkFault(f: Findings, at: Path, fault: HTTPFaultInjection | undefined): void {
  if (!fault) return;
  if (!fault.abort && !fault.delay) f.required(at, 'HTTP fault injection must have an abort and/or a delay');
  const abort = fault.abort;
  if (abort) {
    const aat = [...at, 'abort'];
    checkPercentage(f, [...aat, 'percentage'], abort.percentage);
    const types = (['httpStatus', 'grpcStatus', 'http2Error'] as const).filter((k) => abort[k] !== undefined);
    if (types.length > 1) f.invalid(aat, `only one of httpStatus, grpcStatus or http2Error may be set`);
    if (abort.httpStatus !== undefined && (abort.httpStatus < 200 || abort.httpStatus > 599)) {
      f.invalid([...aat, 'httpStatus'], `HTTP status ${abort.httpStatus} is not in range 200-599`);
    }
    if (abort.grpcStatus !== undefined && !GRPC_STATUSES.has(abort.grpcStatus)) {
      f.notSupported(
        [...aat, 'grpcStatus'],
        `gRPC status "${abort.grpcStatus}" is not supported; use a name from https://github.com/grpc/grpc/blob/master/doc/statuscodes.md such as NOT_FOUND`,
      );
    }
    if (abort.http2Error !== undefined)
      f.notSupported([...aat, 'http2Error'], 'HTTP/2 abort fault injection not supported yet');
    if (types.length === 0) f.warn(aat, 'abort configured, but error type not set');
  }
  const delay = fault.delay;
  if (delay) {
    const dat = [...at, 'delay'];
    checkPercentage(f, [...dat, 'percentage'], delay.percentage);
    if (delay.percent !== undefined && (delay.percent < 0 || delay.percent > 100)) {
      f.invalid([...dat, 'percent'], `percentage ${delay.percent} is not in range 0..100`);
    }
    if (delay.fixedDelay !== undefined && delay.exponentialDelay !== undefined) {
      f.invalid(dat, 'only one of fixedDelay or exponentialDelay may be set');
    }
    checkDuration(f, [...dat, 'fixedDelay'], delay.fixedDelay);
    if (delay.exponentialDelay !== undefined) {
      checkDuration(f, [...dat, 'exponentialDelay'], delay.exponentialDelay);
      f.notSupported([...dat, 'exponentialDelay'], 'exponentialDelay not supported yet');
    }
    if (delay.fixedDelay === undefined && delay.exponentialDelay === undefined) {
      f.warn(dat, 'delay configured without fixedDelay: no delay will be injected');
    }
  }
}

/** Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on policies; numeric HTTP statuses also pass. */
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

function checkRetries(f: Findings, at: Path, retries: HTTPRetry | undefined): void {
  if (!retries) return;
  const attempts = retries.attempts ?? 0;
  if (attempts < 0) f.invalid([...at, 'attempts'], 'attempts cannot be negative');
  if (
    attempts === 0 &&
    (retries.perTryTimeout !== undefined ||
      (retries.retryOn ?? '') !== '' ||
      retries.retryRemoteLocalities !== undefined)
  ) {
    f.invalid([...at, 'attempts'], 'http retry policy configured when attempts are set to 0 (disabled)');
  }
  checkDuration(f, [...at, 'perTryTimeout'], retries.perTryTimeout);
  if (retries.retryOn) {
    for (const policy of retries.retryOn.split(',')) {
      const status = /^\d{3}$/.test(policy) ? Number(policy) : 0;
      if (!(status >= 100 && status <= 599) && !RETRY_ON.has(policy)) {
        f.notSupported([...at, 'retryOn'], `"${policy}" is not a valid retryOn policy`);
      }
    }
  }
  checkDuration(f, [...at, 'backoff'], retries.backoff);
}

function checkRedirect(
  f: Findings,
  at: Path,
  r: HTTPRedirect | undefined,
  matches: HTTPMatchRequest[],
): void {
  if (!r) return;
  if (r.uri && r.prefixRewrite) f.invalid(at, 'redirect may only specify one of uri or prefixRewrite');
  if (r.prefixRewrite && matches.some((m) => m.uri !== undefined && m.uri.prefix === undefined)) {
    f.invalid(
      [...at, 'prefixRewrite'],
      'redirect prefixRewrite requires all URI matches to use prefix match type',
    );
  }
  if (!r.uri && !r.prefixRewrite && !r.authority && r.port === undefined && !r.derivePort && !r.scheme) {
    f.required(at, 'redirect must specify uri, authority, scheme, or port');
  }
  if (
    r.redirectCode !== undefined &&
    r.redirectCode !== 0 &&
    (r.redirectCode < 300 || r.redirectCode > 399)
  ) {
    f.invalid([...at, 'redirectCode'], `${r.redirectCode} is not a valid redirect code, must be 3xx`);
  }
  if (r.scheme && r.scheme !== 'http' && r.scheme !== 'https') {
    f.notSupported([...at, 'scheme'], 'invalid redirect scheme, must be "http" or "https"');
  }
  if (r.port !== undefined && r.port > 0) checkPort(f, [...at, 'port'], r.port);
}

export function checkDestination(f: Findings, at: Path, d: Destination): void {
  const host = d.host ?? '';
  if (host === '') f.required([...at, 'host'], 'destination host is required');
  else if (host === '*') f.invalid([...at, 'host'], `invalid destination host ${host}`);
  else {
    const problem = wildcardDomainProblem(host);
    if (problem) f.invalid([...at, 'host'], problem);
  }
  if (d.subset !== undefined) {
    if (d.subset === '') f.required([...at, 'subset'], 'subset name cannot be empty');
    else if (!isDns1123Label(d.subset)) f.invalid([...at, 'subset'], `subset name is invalid: ${d.subset}`);
  }
  if (d.port !== undefined) checkPort(f, [...at, 'port', 'number'], d.port.number ?? 0);
}

function checkHttpRouteDestinations(f: Findings, at: Path, routes: HTTPRouteDestination[]): void {
  routes.forEach((r, i) => {
    checkHeaderOperations(f, [...at, i, 'headers'], r.headers);
  });
  checkRouteDestinations(f, at, routes);
}

/** Weights: none negative, not all zero when there are several; a sum other than 100 only warns. */
function checkRouteDestinations(f: Findings, at: Path, routes: RouteDestination[]): void {
  let total = 0;
  routes.forEach((r, i) => {
    if (!r.destination) f.required([...at, i, 'destination'], 'destination is required');
    else checkDestination(f, [...at, i, 'destination'], r.destination);
    const weight = r.weight ?? 0;
    if (weight < 0) f.invalid([...at, i, 'weight'], `weight ${weight} < 0`);
    total += weight;
  });
  if (routes.length > 1 && total === 0) f.invalid(at, 'total destination weight = 0');
  else if (routes.length > 1 && total !== 100 && routes.every((r) => (r.weight ?? 0) >= 0)) {
    f.warn(
      at,
      `weights sum to ${total}, not 100; Istio normalises them, so each destination gets weight/${total}`,
    );
  }
}

/** Istio's unreachable-rule warnings: a catch-all route before others, or a repeated match. */
function warnUnreachable(f: Findings, routes: HTTPRoute[]): void {
  const seen = new Map<string, number>();
  let catchAll = -1;
  routes.forEach((route, i) => {
    const at = ['spec', 'http', i];
    if (!route.match?.length) {
      if (catchAll >= 0)
        f.warn(at, `virtualService rule #${i} not used (only the last rule can have no matches)`);
      catchAll = i;
      return;
    }
    if (catchAll >= 0) {
      f.warn(at, `virtualService rule #${i} not used (route without matches defined before)`);
      return;
    }
    let duplicates = 0;
    route.match.forEach((m, j) => {
      const key = canonical(m);
      const prior = seen.get(key);
      if (prior !== undefined) {
        duplicates++;
        f.warn([...at, 'match', j], `match is not used (duplicate of a match in rule #${prior})`);
      } else seen.set(key, i);
    });
    if (duplicates === route.match.length)
      f.warn(at, `virtualService rule #${i} not used (all matches used by prior rules)`);
  });
}

/** JSON with sorted keys, so two equal matches written in different orders compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
