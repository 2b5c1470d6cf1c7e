import type { ConsoleErrorBody } from '@/lib/errors';
import type { ServiceRange } from './range';

/**
 * The service page's wire types: what the console's /api/services/NS/NAME/... routes return.
 * Decorated views built on the server from the control plane's ServiceMetrics, its proxy sync
 * list and its Kubernetes-style resource API; the browser only renders them.
 */

export type SourceStatus = { ok: true } | { ok: false; error: ConsoleErrorBody };

// ---------------------------------------------------------------------------------------------
// Golden metrics

export type MetricId = 'rps' | 'errorPct' | 'p50Ms' | 'p95Ms' | 'p99Ms';

/** One line on every chart: the service total or one destination version. */
export interface SeriesInfo {
  /** recharts dataKey: "s0", "s1", ... (a version label may contain dots, which recharts reads as paths). */
  key: string;
  label: string;
  total: boolean;
  version: string | null;
  workload: string | null;
}

/** One x position of a chart: the step's end time and one value per series key (null: no data). */
export type ChartRow = { tMs: number } & { [seriesKey: string]: number | null };

export interface SummaryRow {
  key: string;
  label: string;
  total: boolean;
  /** Mean requests per second over the range. */
  rps: number;
  /** Errors / requests over the range, 0–1; null without requests. */
  errorRate: number | null;
  /** Quantiles of the latest step that carried traffic; null when none did. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** End time of that step. */
  latestMs: number | null;
}

export interface ServiceMetricsView {
  service: { namespace: string; name: string; hostname: string };
  range: ServiceRange;
  backend: string;
  reporter: 'source' | 'destination';
  window: { startMs: number; endMs: number; stepSeconds: number };
  /** Total first, then versions as the control plane sorted them. */
  series: SeriesInfo[];
  charts: Record<MetricId, ChartRow[]>;
  summary: SummaryRow[];
  /** False when no step of the range carried a request. */
  hasTraffic: boolean;
}

// ---------------------------------------------------------------------------------------------
// Config applied

export interface ConfigObject {
  kind: 'VirtualService' | 'DestinationRule';
  namespace: string;
  name: string;
  /** The hosts (VirtualService) or host (DestinationRule) that name this service, as written. */
  matchedHosts: string[];
  generation: number | null;
  creationTimestamp: string | null;
  /** The object as stored, as YAML (server-set noise such as managedFields left out). */
  yaml: string;
  /** DestinationRule: outlierDetection settings per level ("trafficPolicy", "subset v2"), as written. */
  outlierDetection: { scope: string; settings: Record<string, unknown> }[];
}

export interface ServiceConfigView {
  hostname: string;
  virtualServices: ConfigObject[];
  destinationRules: ConfigObject[];
  sources: { virtualServices: SourceStatus; destinationRules: SourceStatus };
}

// ---------------------------------------------------------------------------------------------
// Endpoints (the proxies of the service's workloads)

export type ProxySyncState = 'SYNCED' | 'STALE' | 'NACKED' | 'DISCONNECTED' | 'UNKNOWN';

export interface EndpointRow {
  id: string;
  workload: string;
  version: string | null;
  state: ProxySyncState;
  /** Config version the proxy serves (ACKed); "" before the first ACK. */
  configVersion: string;
  sentVersion: string | null;
  lastAckTime: string | null;
  connectedAt: string | null;
  disconnectedAt: string | null;
  lastError: string | null;
  proxyVersion: string | null;
  /**
   * Why the proxy counts as this service's: it said it serves it (`--service`), or, from a control
   * plane that does not report services, its app label, or telemetry saw its workload serve it.
   */
  matchedBy: 'service' | 'app-label' | 'telemetry';
  /** What the callers' sidecars say about this endpoint (outlier detection runs in the caller). */
  outlier: OutlierCell;
}

/**
 * - ejected: at least one caller holds it ejected (`ejectedBy` names the callers' workloads);
 * - healthy: every caller that answered holds it, none ejected;
 * - unknown: a caller may hold it but none that answered does (callers unreachable);
 * - not-reported: no caller has a cluster for the service, or the control plane could not say.
 */
export type OutlierState = 'ejected' | 'healthy' | 'unknown' | 'not-reported';

export interface OutlierCell {
  state: OutlierState;
  /** "Ejected by productpage-v1", "Healthy", "Not reported", "Unknown: caller unreachable". */
  text: string;
  /** The text in two parts for a narrow column: the badge ("Ejected") and the line under it ("by productpage-v1"). */
  badge: string;
  detail: string | null;
  /** Longer words for the tooltip. */
  title: string;
  ejectedBy: string[];
  /** Caller workloads that reported this endpoint. */
  reportedBy: string[];
  /** Summed over the callers that reported it. */
  ejections: number;
  requests: number;
  errors: number;
}

/** A sidecar that holds a cluster for the service, or that could not be asked. */
export interface OutlierCaller {
  proxy: string;
  workload: string;
  namespace: string;
  status: 'reported' | 'unreachable';
  /** Why it could not be asked (unreachable); for "reported", the clusters it holds. */
  detail: string;
}

export interface ServiceEndpointsView {
  endpoints: EndpointRow[];
  /** The callers as the control plane read them; empty when it could not (see sources.outlier). */
  callers: OutlierCaller[];
  sources: { proxies: SourceStatus; telemetry: SourceStatus; outlier: SourceStatus };
}
