/**
 * The service registry: what exists in the mesh besides the resources. In embedded mode it is
 * built from the proxies that connect; in Kubernetes mode from Services, EndpointSlices, Pods.
 */
export interface ServicePort {
  name?: string;
  port: number;
  protocol: 'HTTP' | 'HTTP2' | 'GRPC' | 'TCP';
}

export interface MeshService {
  name: string;
  namespace: string;
  /** Fully qualified: NAME.NAMESPACE.svc.cluster.local */
  hostname: string;
  ports: ServicePort[];
}

/** One instance of a workload that serves a service (a pod, or a process on one machine). */
export interface MeshEndpoint {
  /** Unique per proxy: e.g. "reviews-v2-1" */
  id: string;
  workload: string;
  namespace: string;
  serviceAccount: string;
  labels: Record<string, string>;
  /** The service this endpoint serves, and on which service port. */
  service: string;
  servicePort: number;
  /** Where peers connect: the sidecar's inbound listener (host:port). */
  address: string;
  port: number;
  /** True when a Trellis sidecar fronts it (so auto-mTLS may be used). */
  hasSidecar: boolean;
  /** The app's own port behind the sidecar (PeerAuthentication portLevelMtls is keyed by it). */
  targetPort?: number;
}

export interface ServiceRegistry {
  services: MeshService[];
  endpoints: MeshEndpoint[];
}

/** Kubernetes short-name resolution: "reviews" in ns "default" → "reviews.default.svc.cluster.local". */
export function fqdn(host: string, namespace: string, domain = 'cluster.local'): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.${domain}`;
  if (parts.length === 2) return `${host}.svc.${domain}`;
  return host;
}
