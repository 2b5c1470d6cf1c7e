/**
 * The canary page's wire types (GET/PUT /api/canary/NS/SERVICE, GET /api/canary): the service's
 * VirtualService routes that split traffic, each destination's set weight next to the share of
 * requests its version actually received.
 */

export interface SplitDestination {
  host: string;
  subset: string | null;
  /** The version label this subset selects (the DestinationRule's subset labels), else the subset's name. */
  version: string | null;
  /** Set weight, 0–100 (a missing weight on a multi-destination route is 0, as in Istio). */
  weight: number;
  /** Requests per second into the version's workloads over the window; null when telemetry is unavailable. */
  observedRps: number | null;
  /** This destination's share of the route's observed requests, 0–1; null without traffic or telemetry. */
  observedShare: number | null;
}

export interface SplitRoute {
  /** Index in spec.http. */
  index: number;
  name: string | null;
  /** Human summary of the route's match ("uri prefix /api", "header end-user=jason"), null = all traffic. */
  match: string | null;
  destinations: SplitDestination[];
  /**
   * Subsets of the DestinationRule for the route's one destination host that no destination of the
   * route uses yet, sorted: the versions an operator may add to start (or widen) a canary. Empty when
   * the destinations name several hosts, or no DestinationRule defines more subsets.
   */
  addableSubsets: string[];
  /** What each addable subset would be as a new destination (weight 0, share null), in the same order. */
  addableDestinations: SplitDestination[];
}

export interface CanaryVirtualService {
  name: string;
  namespace: string;
  resourceVersion: string;
  hosts: string[];
  routes: SplitRoute[];
}

export interface CanaryView {
  namespace: string;
  service: string;
  /** FQDN of the service, e.g. reviews.default.svc.cluster.local. */
  hostname: string;
  windowSeconds: number;
  /** null when the graph answered; else why observed numbers are missing. */
  telemetryError: string | null;
  virtualServices: CanaryVirtualService[];
  /**
   * Only when no VirtualService routes the service: what "Create traffic shifting" can start from.
   * Absent otherwise (the editor above is the way to change weights then).
   */
  shift?: TrafficShiftOffer;
  generatedAtMs: number;
}

/** One version of a service: a `version` label on the proxies of workloads serving it. */
export interface ServiceVersion {
  version: string;
  workloads: string[];
}

export interface TrafficShiftOffer {
  /** Sorted by name (numeric-aware); from the control plane's proxy list. */
  versions: ServiceVersion[];
  /** null when the proxy list answered; else why no versions are known. */
  versionsError: string | null;
  /** A DestinationRule that already exists for the host: its subsets are used, not replaced. */
  existingRule: {
    namespace: string;
    name: string;
    subsets: { name: string; version: string | null }[];
  } | null;
}

/** POST /api/canary/NS/SERVICE: create DestinationRule + VirtualService SERVICE with these weights. */
export interface CreateShiftRequest {
  versions: string[];
  weights: number[];
}

export interface CreateShiftResponse {
  virtualService: string;
  resourceVersion: string;
  /** The DestinationRule the VirtualService's subsets come from; created: written by this request. */
  destinationRule: { namespace: string; name: string; created: boolean };
  weights: number[];
}

export interface CanaryCandidate {
  namespace: string;
  service: string;
  virtualService: string;
  splitRoutes: number;
  /** Single-destination routes that could start a split (their host's DestinationRule has another subset). */
  canStart?: number;
}

export interface CanaryCandidates {
  candidates: CanaryCandidate[];
  /** Services with two or more versions (proxy list) and no VirtualService: traffic shifting to create. */
  unrouted?: UnroutedService[];
}

export interface UnroutedService {
  namespace: string;
  service: string;
  versions: string[];
}

/**
 * PUT /api/canary/NS/SERVICE: new weights for one VirtualService, against the version the page loaded.
 * `add` appends destinations (subsets of the route's one host) after the existing ones, in order;
 * `weights` then covers the existing destinations followed by the added ones.
 */
export interface ApplyWeightsRequest {
  virtualService: string;
  resourceVersion: string;
  routes: { index: number; weights: number[]; add?: string[] }[];
}

export interface ApplyWeightsResponse {
  virtualService: string;
  resourceVersion: string;
  routes: { index: number; weights: number[] }[];
}
