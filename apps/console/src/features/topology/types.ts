import type { Health } from './health';

/**
 * The topology page's wire types: what GET /api/topology (the console's own route) returns.
 * Kept apart from the control plane's ServiceGraph: this is the decorated view the graph draws
 * (app boxes, labels, health, mTLS state), made on the server by a pure function.
 */

export type { Health } from './health';

export interface Signals {
  /** Requests per second. */
  rps: number;
  /** 0–1; null when there were no requests. */
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** A service the console can link to (/services/NAMESPACE/NAME). */
export interface ServiceRef {
  namespace: string;
  name: string;
  hostname: string;
}

/**
 * app: the compound box of one app in one namespace, holding its versions (Kiali's versioned-app
 *   graph). workload: one version of an app. service: a destination no workload answered
 *   (fault abort, unmeshed). unknown: traffic from outside the mesh.
 */
export type TopologyNodeKind = 'app' | 'workload' | 'service' | 'unknown';

export interface TopologyNode {
  /** Stable across refreshes: the control plane's node id, or "app:NS/APP" for a box. */
  id: string;
  kind: TopologyNodeKind;
  /** The app box holding a workload; null for everything else. */
  parent: string | null;
  /** What the graph prints on the node (may hold a newline). */
  label: string;
  namespace: string;
  app: string | null;
  version: string | null;
  workload: string | null;
  /** Where the service page lives for this node (first is the main one). */
  services: ServiceRef[];
  /**
   * Traffic into the node over the window. For an app box: the sum of its versions' rps and
   * errors; its p99 is the largest version p99 (an upper bound of the app's, quantiles do not add).
   */
  inbound: Signals;
  outboundRps: number;
  health: Health;
  /** Shown because it talks to the selected namespace, not because it is in it. */
  outsideNamespace: boolean;
  /** app boxes: the workload ids inside. */
  children: string[];
}

/**
 * mtls: every request (tcp: byte) used mutual TLS (share ~1); partial: some went in plaintext;
 * none: all plaintext; unknown: the control plane could not tell.
 */
export type MtlsState = 'mtls' | 'partial' | 'none' | 'unknown';

export interface TopologyEdge extends Signals {
  /** The control plane's edge id: "SOURCE->TARGET|PROTOCOL". */
  id: string;
  source: string;
  target: string;
  protocol: string;
  destinationService: string;
  mtls: MtlsState;
  mtlsShare: number | null;
  health: Health;
  /** What the graph prints beside the edge (rps, errors, p99, plaintext mark; may hold a newline). */
  label: string;
  /** Requests per second by response code and by Envoy response flag. */
  responseCodes: Record<string, number>;
  responseFlags: Record<string, number>;
  tcp: { sentBytesPerSecond: number; receivedBytesPerSecond: number } | null;
}

export interface TopologyResponse {
  generatedAtMs: number;
  windowSeconds: number;
  /** builtin | prometheus */
  backend: string;
  /** The namespace shown, or null for all. */
  namespace: string | null;
  /** Every namespace the graph knows, for the filter (sorted; independent of the filter). */
  namespaces: string[];
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  summary: { apps: number; workloads: number; services: number; edges: number };
}
