/**
 * Builders for translate's unit tests: small snapshots with readable defaults. Not a test file
 * itself (no .test suffix), so the runner does not pick it up.
 */
import type {
  MeshEndpoint,
  MeshKind,
  MeshResource,
  MeshService,
  MeshSnapshot,
  ProxyIdentity,
  ServicePort,
} from '@trellis/shared';
import { fqdn } from '@trellis/shared';

let clock = 0;

/** A stored resource; each call is "created" one second after the previous one unless told. */
export function res<S>(
  kind: MeshKind,
  namespace: string,
  name: string,
  spec: S,
  created?: string,
): MeshResource<S> {
  clock += 1;
  const group = kind === 'VirtualService' || kind === 'DestinationRule' ? 'networking' : 'security';
  return {
    apiVersion: `${group}.istio.io/v1`,
    kind,
    metadata: {
      name,
      namespace,
      creationTimestamp: created ?? new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(),
    },
    spec,
  };
}

export interface WorkloadSpec {
  service: string;
  namespace?: string;
  workload: string;
  labels?: Record<string, string>;
  port?: number;
  inbound?: string;
  serviceAccount?: string;
  hasSidecar?: boolean;
  targetPort?: number;
  protocol?: ServicePort['protocol'];
}

export function endpoint(w: WorkloadSpec): MeshEndpoint {
  const namespace = w.namespace ?? 'default';
  const inbound = w.inbound ?? '127.0.0.1:15006';
  return {
    id: `${w.workload}.${namespace}`,
    workload: w.workload,
    namespace,
    serviceAccount: w.serviceAccount ?? w.service,
    labels: w.labels ?? { app: w.service },
    service: w.service,
    servicePort: w.port ?? 9080,
    address: inbound,
    port: Number(inbound.split(':')[1]),
    hasSidecar: w.hasSidecar ?? true,
    ...(w.targetPort !== undefined ? { targetPort: w.targetPort } : {}),
  };
}

/** A snapshot whose registry holds the given workloads (services derived from them). */
export function snapshot(
  resources: MeshResource[],
  workloads: WorkloadSpec[] = [],
  version = '7',
): MeshSnapshot {
  const endpoints = workloads.map(endpoint);
  const services = new Map<string, MeshService>();
  workloads.forEach((w, i) => {
    const ep = endpoints[i]!;
    const hostname = fqdn(ep.service, ep.namespace);
    const svc = services.get(hostname) ?? { name: ep.service, namespace: ep.namespace, hostname, ports: [] };
    if (!svc.ports.some((p) => p.port === ep.servicePort))
      svc.ports.push({ port: ep.servicePort, protocol: w.protocol ?? 'HTTP' });
    services.set(hostname, svc);
  });
  return {
    version,
    resources,
    registry: { services: [...services.values()], endpoints },
    settings: {
      rootNamespace: 'istio-system',
      trustDomain: 'cluster.local',
      accessLog: true,
      tracing: { samplingPercent: 1 },
    },
  };
}

export function proxy(overrides: Partial<ProxyIdentity> = {}): ProxyIdentity {
  return {
    id: 'productpage-v1.default',
    workload: 'productpage-v1',
    namespace: 'default',
    serviceAccount: 'productpage',
    labels: { app: 'productpage', version: 'v1' },
    services: [{ name: 'productpage', port: 9080 }],
    inboundAddress: '127.0.0.1:15006',
    ...overrides,
  };
}

/** Bookinfo-like reviews: v1, v2, v3 on distinct inbound ports. */
export const REVIEWS: WorkloadSpec[] = [
  {
    service: 'reviews',
    workload: 'reviews-v1',
    labels: { app: 'reviews', version: 'v1' },
    inbound: '127.0.0.1:16001',
  },
  {
    service: 'reviews',
    workload: 'reviews-v2',
    labels: { app: 'reviews', version: 'v2' },
    inbound: '127.0.0.1:16002',
  },
  {
    service: 'reviews',
    workload: 'reviews-v3',
    labels: { app: 'reviews', version: 'v3' },
    inbound: '127.0.0.1:16003',
  },
];

export const REVIEWS_HOST = 'reviews.default.svc.cluster.local';

export const REVIEWS_SUBSETS = {
  host: 'reviews',
  subsets: [
    { name: 'v1', labels: { version: 'v1' } },
    { name: 'v2', labels: { version: 'v2' } },
    { name: 'v3', labels: { version: 'v3' } },
  ],
};
