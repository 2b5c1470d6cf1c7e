import type {
  ClientTLSSettings,
  ConnectionPoolSettings,
  DestinationRuleSpec,
  IstioOutlierDetection,
  LoadBalancerSettings,
  TrafficPolicy,
} from '../resources';
import type { Findings, Path } from './causes';
import { isDns1123Label, wildcardDomainProblem } from './names';
import {
  checkDuration,
  checkExportTo,
  checkIntPercent,
  checkLabels,
  checkPort,
  checkWorkloadSelector,
} from './rules';

/** Istio's ValidateDestinationRule (pkg/config/validation), with Kubernetes field paths. */
export function checkDestinationRule(f: Findings, spec: DestinationRuleSpec, namespace: string): void {
  const s: Path = ['spec'];
  const host = spec.host ?? '';
  if (host === '') f.required([...s, 'host'], 'host is required');
  else {
    const problem = wildcardDomainProblem(host);
    if (problem) f.invalid([...s, 'host'], problem);
  }
  checkTrafficPolicy(f, [...s, 'trafficPolicy'], spec.trafficPolicy);
  const names = new Map<string, number>();
  (spec.subsets ?? []).forEach((subset, i) => {
    const at = [...s, 'subsets', i];
    const name = subset.name ?? '';
    if (name === '') f.required([...at, 'name'], 'subset name cannot be empty');
    else if (!isDns1123Label(name)) f.invalid([...at, 'name'], `subset name is invalid: ${name}`);
    const first = names.get(name);
    if (first !== undefined && name !== '') {
      f.duplicate([...at, 'name'], `duplicate subset names: ${name} (also spec.subsets[${first}])`);
    } else names.set(name, i);
    checkLabels(f, [...at, 'labels'], subset.labels);
    checkTrafficPolicy(f, [...at, 'trafficPolicy'], subset.trafficPolicy);
  });
  checkExportTo(f, [...s, 'exportTo'], namespace, spec.exportTo);
  if (spec.workloadSelector) {
    checkWorkloadSelector(f, [...s, 'workloadSelector'], spec.workloadSelector);
    const others = (spec.exportTo ?? []).filter((e) => e !== '.' && e !== namespace);
    if (others.length > 0) {
      f.invalid(
        [...s, 'exportTo'],
        'destination rule with workload selector cannot have exportTo beyond current namespace',
      );
    }
  }
}

function checkTrafficPolicy(f: Findings, at: Path, policy: TrafficPolicy | undefined): void {
  if (!policy) return;
  if (Object.values(policy).every((v) => v === undefined)) {
    f.required(at, 'traffic policy must have at least one field');
    return;
  }
  if (policy.tunnel && policy.proxyProtocol)
    f.invalid(at, 'tunnel and proxyProtocol must not be set together');
  checkOutlier(f, [...at, 'outlierDetection'], policy.outlierDetection);
  checkConnectionPool(f, [...at, 'connectionPool'], policy.connectionPool);
  checkLoadBalancer(f, [...at, 'loadBalancer'], policy.loadBalancer);
  checkTls(f, [...at, 'tls'], policy.tls);
  policy.portLevelSettings?.forEach((p, i) => {
    const pat = [...at, 'portLevelSettings', i];
    if (!p.port) f.required([...pat, 'port'], 'portTrafficPolicy must have valid port');
    else checkPort(f, [...pat, 'port', 'number'], p.port.number ?? 0);
    if (!p.outlierDetection && !p.connectionPool && !p.loadBalancer && !p.tls) {
      f.required(pat, 'port traffic policy must have at least one field');
    }
    checkOutlier(f, [...pat, 'outlierDetection'], p.outlierDetection);
    checkConnectionPool(f, [...pat, 'connectionPool'], p.connectionPool);
    checkLoadBalancer(f, [...pat, 'loadBalancer'], p.loadBalancer);
    checkTls(f, [...pat, 'tls'], p.tls);
  });
  const tunnel = policy.tunnel;
  if (tunnel) {
    if (tunnel.protocol && tunnel.protocol !== 'CONNECT' && tunnel.protocol !== 'POST') {
      f.notSupported([...at, 'tunnel', 'protocol'], 'tunnel protocol must be "CONNECT" or "POST"');
    }
    if (!tunnel.targetHost) f.required([...at, 'tunnel', 'targetHost'], 'tunnel target host is required');
    checkPort(f, [...at, 'tunnel', 'targetPort'], tunnel.targetPort ?? 0);
  }
  const budget = policy.retryBudget;
  if (budget?.percent !== undefined && (budget.percent < 0 || budget.percent > 100)) {
    f.invalid([...at, 'retryBudget', 'percent'], `percentage ${budget.percent} is not in range 0..100`);
  }
  checkDuration(f, [...at, 'retryBudget', 'budgetInterval'], budget?.budgetInterval);
}

function checkOutlier(f: Findings, at: Path, o: IstioOutlierDetection | undefined): void {
  if (!o) return;
  checkDuration(f, [...at, 'baseEjectionTime'], o.baseEjectionTime);
  checkDuration(f, [...at, 'interval'], o.interval);
  if (o.consecutiveErrors !== undefined && o.consecutiveErrors !== 0) {
    f.warn(
      [...at, 'consecutiveErrors'],
      'outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead',
    );
  }
  if (!o.splitExternalLocalOriginErrors && (o.consecutiveLocalOriginFailures ?? 0) > 0) {
    f.invalid(
      [...at, 'consecutiveLocalOriginFailures'],
      'outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false',
    );
  }
  for (const key of [
    'consecutiveErrors',
    'consecutive5xxErrors',
    'consecutiveGatewayErrors',
    'consecutiveLocalOriginFailures',
  ] as const) {
    const v = o[key];
    if (v !== undefined && v < 0) f.invalid([...at, key], `${key} must be non-negative`);
  }
  checkIntPercent(f, [...at, 'maxEjectionPercent'], o.maxEjectionPercent);
  checkIntPercent(f, [...at, 'minHealthPercent'], o.minHealthPercent);
  o.outlierDetectionHttpErrorCodes?.forEach((code, i) => {
    if (code < 100 || code > 599)
      f.invalid([...at, 'outlierDetectionHttpErrorCodes', i], `HTTP status ${code} is not in range 100-599`);
  });
}

function checkConnectionPool(f: Findings, at: Path, pool: ConnectionPoolSettings | undefined): void {
  if (!pool) return;
  if (!pool.http && !pool.tcp) {
    f.required(at, 'connection pool must have at least one field');
    return;
  }
  const http = pool.http;
  if (http) {
    const hat = [...at, 'http'];
    for (const key of [
      'http1MaxPendingRequests',
      'http2MaxRequests',
      'maxRequestsPerConnection',
      'maxRetries',
      'maxConcurrentStreams',
    ] as const) {
      const v = http[key];
      if (v !== undefined && v < 0) f.invalid([...hat, key], `${key} must be non-negative`);
    }
    checkDuration(f, [...hat, 'idleTimeout'], http.idleTimeout);
    if (http.h2UpgradePolicy === 'UPGRADE' && http.useClientProtocol) {
      f.invalid(
        [...hat, 'useClientProtocol'],
        'use client protocol must not be true when h2UpgradePolicy is UPGRADE',
      );
    }
    const ka = http.http2KeepAlive;
    if (ka) {
      if (ka.interval === undefined)
        f.required([...hat, 'http2KeepAlive', 'interval'], 'http2 keepalive interval is required');
      if (ka.timeout === undefined)
        f.required([...hat, 'http2KeepAlive', 'timeout'], 'http2 keepalive timeout is required');
      checkDuration(f, [...hat, 'http2KeepAlive', 'interval'], ka.interval);
      checkDuration(f, [...hat, 'http2KeepAlive', 'timeout'], ka.timeout);
    }
  }
  const tcp = pool.tcp;
  if (tcp) {
    const tat = [...at, 'tcp'];
    if (tcp.maxConnections !== undefined && tcp.maxConnections < 0)
      f.invalid([...tat, 'maxConnections'], 'max connections must be non-negative');
    checkDuration(f, [...tat, 'connectTimeout'], tcp.connectTimeout);
    checkDuration(f, [...tat, 'maxConnectionDuration'], tcp.maxConnectionDuration);
    // 0s turns the idle timeout off.
    checkDuration(f, [...tat, 'idleTimeout'], tcp.idleTimeout, true);
    checkDuration(f, [...tat, 'tcpKeepalive', 'time'], tcp.tcpKeepalive?.time);
    checkDuration(f, [...tat, 'tcpKeepalive', 'interval'], tcp.tcpKeepalive?.interval);
  }
}

function isPrime(x: number): boolean {
  if (x !== 0 && x < 4) return true;
  if (x % 2 === 0) return false;
  for (let d = 3; d * d <= x; d += 2) if (x % d === 0) return false;
  return true;
}

function checkLoadBalancer(f: Findings, at: Path, lb: LoadBalancerSettings | undefined): void {
  if (!lb) return;
  if (lb.simple && lb.consistentHash) f.invalid(at, 'only one of simple or consistentHash may be set');
  const ch = lb.consistentHash;
  if (ch) {
    const cat = [...at, 'consistentHash'];
    const keys = (['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'] as const).filter(
      (k) => ch[k] !== undefined,
    );
    if (keys.length > 1) f.invalid(cat, `only one of ${keys.join(', ')} may be set`);
    if (ch.httpCookie && !ch.httpCookie.name)
      f.required([...cat, 'httpCookie', 'name'], 'name required for HttpCookie');
    checkDuration(f, [...cat, 'httpCookie', 'ttl'], ch.httpCookie?.ttl, true);
    const seen = new Set<string>();
    ch.httpCookie?.attributes?.forEach((attr, i) => {
      const name = attr.name ?? '';
      if (name === '')
        f.required([...cat, 'httpCookie', 'attributes', i, 'name'], 'cookie attribute name cannot be empty');
      else if (seen.has(name))
        f.duplicate(
          [...cat, 'httpCookie', 'attributes', i, 'name'],
          `duplicate cookie attribute name: ${name}`,
        );
      seen.add(name);
    });
    if (ch.minimumRingSize) {
      f.warn(
        [...cat, 'minimumRingSize'],
        "consistent hash minimumRingSize is deprecated, use ConsistentHashLB's ringHash instead",
      );
      if (ch.ringHash || ch.maglev)
        f.invalid(cat, 'only one of minimumRingSize or maglev/ringHash can be specified');
    }
    if (ch.ringHash && ch.maglev) f.invalid(cat, 'only one of ringHash or maglev can be specified');
    if (ch.maglev) {
      const size = ch.maglev.tableSize ?? 0;
      const mat = [...cat, 'maglev', 'tableSize'];
      if (size === 0) f.required(mat, 'tableSize must be set for maglev');
      else if (size >= 5_000_011) f.invalid(mat, 'tableSize must be less than 5000011 for maglev');
      else if (!isPrime(size)) f.invalid(mat, 'tableSize must be a prime number for maglev');
    }
  }
  if (lb.localityLbSetting && lb.zoneAwareLbSetting) {
    f.invalid(at, 'only one of localityLbSetting and zoneAwareLbSetting can be set');
  }
  const distribute = lb.localityLbSetting?.distribute ?? [];
  distribute.forEach((d, i) => {
    const total = Object.values(d.to ?? {}).reduce((a, b) => a + b, 0);
    if (total !== 100) {
      f.invalid(
        [...at, 'localityLbSetting', 'distribute', i, 'to'],
        `total weight of locality distribution must be 100, got ${total}`,
      );
    }
  });
  const warm = lb.warmup;
  if (warm) {
    if (warm.duration === undefined) f.required([...at, 'warmup', 'duration'], 'duration is required');
    checkDuration(f, [...at, 'warmup', 'duration'], warm.duration);
    if ((warm.minimumPercent ?? 0) > 100)
      f.invalid(
        [...at, 'warmup', 'minimumPercent'],
        'minimumPercent value should be less than or equal to 100',
      );
    if (warm.aggression !== undefined && warm.aggression <= 0)
      f.invalid([...at, 'warmup', 'aggression'], 'aggression should be greater than 0');
  }
  checkDuration(f, [...at, 'warmupDurationSecs'], lb.warmupDurationSecs);
}

function checkTls(f: Findings, at: Path, tls: ClientTLSSettings | undefined): void {
  if (!tls) return;
  if (tls.insecureSkipVerify) {
    if (tls.mode === 'SIMPLE' && (tls.caCertificates || tls.credentialName || tls.subjectAltNames)) {
      f.invalid(
        at,
        'cannot specify caCertificates or credentialName or subjectAltNames when insecureSkipVerify is set true',
      );
    }
    if (tls.mode === 'MUTUAL' && (tls.caCertificates || tls.subjectAltNames)) {
      f.invalid(at, 'cannot specify caCertificates or subjectAltNames when insecureSkipVerify is set true');
    }
  }
  if ((tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL') && tls.credentialName) {
    if (tls.clientCertificate || tls.caCertificates || tls.privateKey || tls.caCrl) {
      f.invalid(
        at,
        'cannot specify client certificates or CA certificate or CA CRL if credentialName is set',
      );
    }
    return;
  }
  if (tls.mode === 'MUTUAL') {
    if (!tls.clientCertificate)
      f.required([...at, 'clientCertificate'], 'client certificate required for mutual tls');
    if (!tls.privateKey) f.required([...at, 'privateKey'], 'private key required for mutual tls');
  }
}
