// The stub control plane's answers for what it reads from the sidecars' admin listeners: which
// callers ejected which endpoint of a service, and each sidecar's certificate. Typed against the
// real contracts (@trellis/shared/proxy-admin-api); the end-to-end truth is the control plane's
// integration test (apps/controlplane/test/proxy-admin-e2e.test.ts). Deterministic, relative to now.
import type {
  CallerEndpointReport,
  ProxyCertsStatus,
  ServiceEndpointsStatus,
} from '@trellis/shared/proxy-admin-api';
import type { StubAnswer, StubWorkload } from './stub-service-traces';

const H = 3_600_000;
const proxyId = (w: Pick<StubWorkload, 'app' | 'version'>) => `${w.app}-${w.version}-1`;
const workloadOf = (w: Pick<StubWorkload, 'app' | 'version'>) => `${w.app}-${w.version}`;

/** Bookinfo's callers per service: who holds a cluster for it and sends it traffic. */
const CALLERS: Record<string, string[]> = {
  details: ['productpage'],
  reviews: ['productpage'],
  ratings: ['reviews'],
};

/**
 * Bookinfo as the stub tells it: productpage-v1 has ejected reviews-v3 (its 8 % errors and 2.5 s
 * p99 above), every other endpoint is held healthy; details-v1's admin does not answer (a sidecar
 * listed but unreachable); nothing calls productpage through the mesh, so its endpoint is "not
 * reported".
 */
function serviceEndpoints(
  namespace: string,
  service: string,
  workloads: StubWorkload[],
): ServiceEndpointsStatus {
  const inNs = workloads.filter((w) => w.namespace === namespace);
  const callerApps = CALLERS[service] ?? [];
  const callers = inNs.filter((w) => callerApps.includes(w.app) && w.app !== 'details');
  const unreachable = inNs.filter((w) => w.app === 'details');
  const endpoints = inNs
    .filter((w) => w.app === service)
    .map((w, i) => {
      const reports: CallerEndpointReport[] = callers.map((c) => {
        const ejected = c.app === 'productpage' && w.app === 'reviews' && w.version === 'v3';
        return {
          proxy: proxyId(c),
          workload: workloadOf(c),
          namespace,
          ejected,
          ejectedIn: ejected ? [`outbound|9080||${service}.${namespace}.svc.cluster.local`] : [],
          ejections: ejected ? 2 : 0,
          activeRequests: 0,
          totalRequests: 120 + 10 * i,
          errors: ejected ? 14 : 0,
        };
      });
      const ejectedBy = reports.filter((r) => r.ejected).map((r) => r.workload);
      return {
        id: proxyId(w),
        workload: workloadOf(w),
        namespace,
        version: w.version,
        address: `127.0.0.1:${15006 + 10 * i}`,
        state: ejectedBy.length > 0 ? 'ejected' : reports.length > 0 ? 'healthy' : 'not-reported',
        ejectedBy,
        reports,
      } satisfies ServiceEndpointsStatus['endpoints'][number];
    });
  return {
    namespace,
    service,
    hostname: `${service}.${namespace}.svc.cluster.local`,
    generatedAt: new Date().toISOString(),
    endpoints,
    callers: [
      ...callers.map((c) => ({
        proxy: proxyId(c),
        workload: workloadOf(c),
        namespace,
        status: 'reported' as const,
        clusters: [`outbound|9080||${service}.${namespace}.svc.cluster.local`],
      })),
      ...unreachable.map((c) => ({
        proxy: proxyId(c),
        workload: workloadOf(c),
        namespace,
        status: 'unreachable' as const,
        failure: { kind: 'unreachable' as const, message: '127.0.0.1:15000: ECONNREFUSED' },
        connected: true,
      })),
    ],
  };
}

/**
 * 24 h certificates: most issued 12.5 h ago ("expires in 11 h"); reviews-v3's 22.5 h ago (6 %
 * left: red, its renewal at half life is overdue); details-v1 unreachable; httpbin (second
 * namespace) without a mesh identity.
 */
function certs(workloads: StubWorkload[]): ProxyCertsStatus[] {
  const now = Date.now();
  return workloads.map((w) => {
    const who = { proxy: proxyId(w), workload: workloadOf(w), namespace: w.namespace };
    if (w.app === 'details')
      return {
        ...who,
        status: 'unreachable',
        failure: { kind: 'unreachable', message: '127.0.0.1:15000: ECONNREFUSED' },
        connected: true,
      };
    if (w.app === 'httpbin') return { ...who, status: 'no-identity' };
    const sa = w.app === 'productpage' ? 'bookinfo-productpage' : `bookinfo-${w.app}`;
    const spiffeId = `spiffe://cluster.local/ns/${w.namespace}/sa/${sa}`;
    const age = w.app === 'reviews' && w.version === 'v3' ? 22.5 * H : 12.5 * H;
    const notBefore = now - age;
    const notAfter = notBefore + 24 * H;
    return {
      ...who,
      status: 'ok',
      identity: spiffeId,
      certificate: {
        spiffeId,
        serialNumber: `4f:${w.app.length.toString(16).padStart(2, '0')}:${w.version.slice(1).padStart(2, '0')}`,
        notBefore: new Date(notBefore).toISOString(),
        notAfter: new Date(notAfter).toISOString(),
        secondsToExpiry: Math.floor((notAfter - now) / 1000),
        lifeLeftShare: (notAfter - now) / (24 * H),
      },
      rotations: 1,
      renewFailures: 0,
      lastRenewError: null,
    };
  });
}

const ENDPOINTS = /^\/api\/v1\/mesh\/services\/([^/]+)\/([^/]+)\/endpoints$/;

export function proxyAdminRoutes(url: URL, workloads: StubWorkload[]): StubAnswer | undefined {
  const m = ENDPOINTS.exec(url.pathname);
  if (m)
    return {
      status: 200,
      body: serviceEndpoints(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), workloads),
    };
  if (url.pathname === '/api/v1/mesh/certs') return { status: 200, body: certs(workloads) };
  return undefined;
}
