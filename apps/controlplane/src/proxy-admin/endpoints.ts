/**
 * Pure: joins a service's registry endpoints with what each sidecar's /clusters says about them.
 * Outlier ejection lives in the caller's sidecar (Envoy's model), so an endpoint's state is the
 * sum of its callers' views. No sockets here; ./fetch-admin reads the sidecars.
 */
import { fqdn, type MeshEndpoint } from '@trellis/shared';
import type {
  AdminFailure,
  CallerEndpointReport,
  CallerStatus,
  EndpointOutlierState,
  ServiceEndpointStatus,
  ServiceEndpointsStatus,
} from '@trellis/shared/proxy-admin-api';
import type { AdminClusters } from './schemas';

export interface ProxyRef {
  proxy: string;
  workload: string;
  namespace: string;
  /** The control plane still has its config stream open. */
  connected: boolean;
}

export type AdminRead<T> = { ok: true; value: T } | { ok: false; failure: AdminFailure };

export interface ProxyClusters extends ProxyRef {
  read: AdminRead<AdminClusters>;
}

/** One entry per endpoint id: a proxy serving the service on two ports is one endpoint here. */
function distinctEndpoints(endpoints: readonly MeshEndpoint[]): MeshEndpoint[] {
  const byId = new Map<string, MeshEndpoint>();
  for (const e of endpoints) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => a.workload.localeCompare(b.workload) || a.id.localeCompare(b.id));
}

function stateOf(
  reports: CallerEndpointReport[],
  callersWithCluster: number,
  unreachable: number,
): EndpointOutlierState {
  if (reports.some((r) => r.ejected)) return 'ejected';
  if (reports.length > 0) return 'healthy';
  return callersWithCluster > 0 || unreachable > 0 ? 'unknown' : 'not-reported';
}

export function serviceEndpointsStatus(input: {
  namespace: string;
  service: string;
  /** The registry's endpoints (any service; filtered here). */
  endpoints: readonly MeshEndpoint[];
  proxies: readonly ProxyClusters[];
  now: Date;
}): ServiceEndpointsStatus {
  const hostname = fqdn(input.service, input.namespace);
  const endpoints = distinctEndpoints(
    input.endpoints.filter((e) => e.service === input.service && e.namespace === input.namespace),
  );
  const callers: CallerStatus[] = [];
  // endpoint address → reports, one per caller.
  const reportsByAddress = new Map<string, CallerEndpointReport[]>();
  let callersWithCluster = 0;
  let unreachable = 0;
  const sorted = [...input.proxies].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.proxy.localeCompare(b.proxy),
  );
  for (const p of sorted) {
    const who = { proxy: p.proxy, workload: p.workload, namespace: p.namespace };
    if (!p.read.ok) {
      unreachable += 1;
      callers.push({ ...who, status: 'unreachable', failure: p.read.failure, connected: p.connected });
      continue;
    }
    const clusters = p.read.value.clusters.filter((c) => c.service === hostname);
    if (clusters.length === 0) continue;
    callersWithCluster += 1;
    callers.push({ ...who, status: 'reported', clusters: clusters.map((c) => c.name).sort() });
    const mine = new Map<string, CallerEndpointReport>();
    for (const c of clusters)
      for (const e of c.endpoints) {
        let r = mine.get(e.address);
        if (!r) {
          r = {
            ...who,
            ejected: false,
            ejectedIn: [],
            ejections: 0,
            activeRequests: 0,
            totalRequests: 0,
            errors: 0,
          };
          mine.set(e.address, r);
        }
        // Each cluster (the service and each subset) keeps its own endpoint state in the sidecar.
        if (e.ejected) {
          r.ejected = true;
          r.ejectedIn.push(c.name);
        }
        r.ejections += e.ejections;
        r.activeRequests += e.active;
        r.totalRequests += e.requests;
        r.errors += e.errors;
      }
    for (const [address, r] of mine) {
      const list = reportsByAddress.get(address) ?? [];
      list.push(r);
      reportsByAddress.set(address, list);
    }
  }
  const rows: ServiceEndpointStatus[] = endpoints.map((e) => {
    const reports = reportsByAddress.get(e.address) ?? [];
    return {
      id: e.id,
      workload: e.workload,
      namespace: e.namespace,
      version: e.labels.version ?? null,
      address: e.address,
      state: stateOf(reports, callersWithCluster, unreachable),
      ejectedBy: [...new Set(reports.filter((r) => r.ejected).map((r) => r.workload))].sort(),
      reports,
    };
  });
  return {
    namespace: input.namespace,
    service: input.service,
    hostname,
    generatedAt: input.now.toISOString(),
    endpoints: rows,
    callers,
  };
}
