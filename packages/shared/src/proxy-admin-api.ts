/**
 * What the control plane tells the console about the sidecars' own state, read from each
 * sidecar's admin listener (/clusters, /certs) as Kiali reads each Envoy's admin: which callers
 * have ejected which endpoint (outlier detection happens in the caller's sidecar, so only the
 * callers know) and which certificate a sidecar holds. The browser never reaches a sidecar.
 *
 * Served under the console API family (TELEMETRY_API_PREFIX, docs/api.md). Times are RFC 3339.
 */
import { TELEMETRY_API_PREFIX } from './telemetry-api';

export const PROXY_ADMIN_PATHS = {
  /** GET → ServiceEndpointsStatus */
  serviceEndpoints: (namespace: string, service: string) =>
    `${TELEMETRY_API_PREFIX}/services/${encodeURIComponent(namespace)}/${encodeURIComponent(service)}/endpoints`,
  /** GET → ProxyCertsStatus (404 when no proxy has that id) */
  proxyCerts: (id: string) => `${TELEMETRY_API_PREFIX}/proxies/${encodeURIComponent(id)}/certs`,
  /** GET → ProxyCertsStatus[] for every listed proxy (the proxies page reads them in one call) */
  certs: `${TELEMETRY_API_PREFIX}/certs`,
} as const;

/** Why a sidecar's admin gave no usable answer. */
export type AdminFailure =
  /** It did not send admin_address (an older proxy): nothing to ask. */
  | { kind: 'no-admin-address' }
  /** Connection refused or reset, or no answer in time (a stopped sidecar). */
  | { kind: 'unreachable'; message: string }
  /** It answered, but not 200 or not the expected shape. */
  | { kind: 'bad-response'; message: string };

/** One caller's view of one endpoint, summed over the caller's clusters for the service. */
export interface CallerEndpointReport {
  /** The caller's proxy id. */
  proxy: string;
  workload: string;
  namespace: string;
  ejected: boolean;
  /** The caller's clusters (Envoy-style names) that hold the endpoint ejected now. */
  ejectedIn: string[];
  /** Ejections since the caller's config was applied. */
  ejections: number;
  activeRequests: number;
  totalRequests: number;
  /** Requests that failed (5xx or no response). */
  errors: number;
}

/**
 * An endpoint's state as its callers report it:
 * - ejected: at least one caller holds it ejected (`ejectedBy` names them);
 * - healthy: every caller that answered holds it, none ejected;
 * - unknown: callers have a cluster for the service but none that answered reported it
 *   (all unreachable, or it is newer than their config);
 * - not-reported: no listed sidecar has a cluster for the service.
 */
export type EndpointOutlierState = 'ejected' | 'healthy' | 'unknown' | 'not-reported';

export interface ServiceEndpointStatus {
  /** The endpoint's proxy id (registry endpoint id). */
  id: string;
  workload: string;
  namespace: string;
  version: string | null;
  /** host:port callers connect to (the sidecar's inbound listener). */
  address: string;
  state: EndpointOutlierState;
  /** Workloads of the callers that hold it ejected (sorted, distinct). */
  ejectedBy: string[];
  reports: CallerEndpointReport[];
}

export type CallerStatus =
  | {
      proxy: string;
      workload: string;
      namespace: string;
      /** It answered and holds at least one cluster for the service. */
      status: 'reported';
      clusters: string[];
    }
  | {
      proxy: string;
      workload: string;
      namespace: string;
      /** Its admin could not be read; it may hold a cluster for the service. */
      status: 'unreachable';
      failure: AdminFailure;
      /** Whether the control plane still has its config stream open. */
      connected: boolean;
    };

export interface ServiceEndpointsStatus {
  namespace: string;
  service: string;
  /** Service FQDN, as callers' clusters name it. */
  hostname: string;
  generatedAt: string;
  endpoints: ServiceEndpointStatus[];
  /**
   * Sidecars that hold a cluster for the service (reported) and sidecars whose admin could not be
   * read (unreachable); sidecars that answered without such a cluster are left out.
   */
  callers: CallerStatus[];
}

/** Public facts about a sidecar's mesh certificate (never the key). */
export interface CertificateFacts {
  spiffeId: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** At the control plane's read; negative once expired. */
  secondsToExpiry: number;
  /** The share of the lifetime left, 0–1 (0 once expired). */
  lifeLeftShare: number;
}

export type ProxyCertsStatus =
  | {
      proxy: string;
      workload: string;
      namespace: string;
      status: 'ok';
      /** The identity the sidecar signs for (its SPIFFE id). */
      identity: string;
      /** null while the sidecar has no certificate yet. */
      certificate: CertificateFacts | null;
      rotations: number;
      renewFailures: number;
      lastRenewError: string | null;
    }
  | {
      proxy: string;
      workload: string;
      namespace: string;
      /** The sidecar runs without a mesh identity (its /certs answers 404). */
      status: 'no-identity';
    }
  | {
      proxy: string;
      workload: string;
      namespace: string;
      status: 'unreachable';
      failure: AdminFailure;
      connected: boolean;
    };
