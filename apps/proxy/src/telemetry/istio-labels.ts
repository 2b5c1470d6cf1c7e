import type { PeerInfo, RequestRecord } from './record';

/**
 * Istio's standard metric labels (https://istio.io/latest/docs/reference/config/metrics/), in
 * the order the values are produced below. Kiali's graph queries group by the canonical_* and
 * *_cluster labels as well as the older app/version ones, so all are emitted. No label carries
 * a path, a header or an id: cardinality stays bounded by peers x codes x flags.
 */
export const ISTIO_PEER_LABELS = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_flags',
  'connection_security_policy',
] as const;

/** Request metrics add the response's outcome. */
export const ISTIO_REQUEST_LABELS = [...ISTIO_PEER_LABELS, 'response_code', 'grpc_response_status'] as const;

export type IstioRequestLabel = (typeof ISTIO_REQUEST_LABELS)[number];
export type IstioPeerLabel = (typeof ISTIO_PEER_LABELS)[number];

/** Istio's cluster id when none is configured. */
export const DEFAULT_CLUSTER_ID = 'Kubernetes';

const UNKNOWN = 'unknown';

function orUnknown(v: string | undefined): string {
  return v === undefined || v === '' ? UNKNOWN : v;
}

/** Istio's canonical service: the app label, else the workload name. */
function canonicalService(peer: PeerInfo): string {
  if (peer.app !== '' && peer.app !== UNKNOWN) return peer.app;
  return orUnknown(peer.workload);
}

/** Istio's canonical revision: the version label, else "latest". */
function canonicalRevision(peer: PeerInfo): string {
  return peer.version !== '' && peer.version !== UNKNOWN ? peer.version : 'latest';
}

/** "reviews.default.svc.cluster.local" → "default"; the workload namespace for other hosts. */
export function serviceNamespace(service: string, fallback: string): string {
  const parts = service.split('.');
  if (parts.length >= 3 && parts[2] === 'svc' && parts[1]) return parts[1];
  return orUnknown(fallback);
}

export interface PeerLabelInput {
  reporter: 'source' | 'destination';
  source: PeerInfo;
  destination: PeerInfo & { service: string; serviceName: string };
  protocol: string;
  responseFlags: readonly string[];
  mtls: boolean;
}

/** Values for ISTIO_PEER_LABELS, in order. */
export function peerLabelValues(rec: PeerLabelInput, clusterId: string): string[] {
  const s = rec.source;
  const d = rec.destination;
  return [
    rec.reporter,
    orUnknown(s.workload),
    orUnknown(s.namespace),
    orUnknown(s.principal),
    orUnknown(s.app),
    orUnknown(s.version),
    canonicalService(s),
    canonicalRevision(s),
    // A source outside the mesh has no cluster we could know.
    s.workload === '' || s.workload === UNKNOWN ? UNKNOWN : clusterId,
    orUnknown(d.workload),
    orUnknown(d.namespace),
    orUnknown(d.principal),
    orUnknown(d.app),
    orUnknown(d.version),
    orUnknown(d.service),
    orUnknown(d.serviceName),
    serviceNamespace(d.service, d.namespace),
    canonicalService(d),
    canonicalRevision(d),
    d.workload === '' || d.workload === UNKNOWN ? UNKNOWN : clusterId,
    rec.protocol,
    // Envoy prints no flags as "-" and several joined by commas.
    rec.responseFlags.length === 0 ? '-' : rec.responseFlags.join(','),
    rec.mtls ? 'mutual_tls' : 'none',
  ];
}

/** Values for ISTIO_REQUEST_LABELS, in order. */
export function requestLabelValues(rec: RequestRecord, clusterId: string): string[] {
  const values = peerLabelValues(rec, clusterId);
  values.push(String(rec.responseCode));
  // Istio leaves grpc_response_status empty on plain HTTP (empty equals absent in Prometheus).
  values.push(rec.grpcStatus === undefined ? '' : String(rec.grpcStatus));
  return values;
}
