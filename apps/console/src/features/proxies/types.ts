/**
 * The proxies page's wire types: what GET /api/proxies (the console's own route) returns. A
 * decorated view of the control plane's sync list (ProxyStatus[], like `istioctl proxy-status`),
 * built on the server by server/proxies-view.ts; the browser only filters and renders it.
 */

/** The control plane's four states, and UNKNOWN for one this console does not know. */
export type ProxySyncState = 'SYNCED' | 'STALE' | 'NACKED' | 'DISCONNECTED' | 'UNKNOWN';

/** A time from the control plane, ready to show: "12 s ago", with the UTC time for a tooltip. */
export interface TimeView {
  iso: string;
  /** "2026-01-01 12:00:03 UTC": the same text on the server and in the browser. */
  utc: string;
  /** Relative to the view's generatedAtMs, e.g. "just now", "12 s ago", "3 min ago". */
  ago: string;
}

/** A service the proxy serves, and its console page. */
export interface ServiceLink {
  name: string;
  href: string;
}

export interface ProxyRow {
  id: string;
  workload: string;
  namespace: string;
  /** labels.app, Istio's canonical service name. */
  app: string | null;
  /** labels.version: the workload's version (the control plane's `version` is the config version). */
  version: string | null;
  state: ProxySyncState;
  /** Config version the proxy ACKed, i.e. serves; null before its first ACK. */
  ackedVersion: string | null;
  /** Config version last sent to it; null before the first push. */
  sentVersion: string | null;
  /** True when the sent version is not the one it serves (a push in flight, or refused). */
  behind: boolean;
  lastAck: TimeView | null;
  connectedAt: TimeView | null;
  /** Set once the stream closed (DISCONNECTED); the control plane keeps it for 10 minutes. */
  disconnectedAt: TimeView | null;
  /** The proxy's own build version, as it reported it. */
  proxyVersion: string | null;
  /** Configs sent on the current stream. */
  pushes: number | null;
  /** The error_detail of its last NACK, as the proxy sent it. */
  lastError: string | null;
  /**
   * The service pages of the services it serves: from the proxy's own list when the control plane
   * reports one, else its app label (older control planes). Empty for a pure client.
   */
  services: ServiceLink[];
  /** The sidecar's mesh certificate, as the control plane read it from the sidecar's admin /certs. */
  cert: CertCell;
}

/**
 * - valid / expiring (under 10 % of its lifetime left) / expired: the certificate it holds;
 * - none: it has a mesh identity but no certificate yet (its first Sign is pending);
 * - no-identity: it runs without one (no --join-token-file), so it speaks plaintext;
 * - unreachable: the control plane could not read its admin (a stopped sidecar);
 * - not-reported: the control plane did not say (an older one, or its certs API failed).
 */
export type CertState =
  | 'valid'
  | 'expiring'
  | 'expired'
  | 'none'
  | 'no-identity'
  | 'unreachable'
  | 'not-reported';

export interface CertCell {
  state: CertState;
  /** "expires in 11 h", "expired 3 min ago", "unreachable", ... */
  text: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
  /** The SPIFFE id in the certificate (else the identity it signs for); null when unknown. */
  spiffeId: string | null;
  notAfter: TimeView | null;
  /** Longer words for the tooltip: serial, validity, rotations, the failure. */
  title: string;
}

export interface ProxySummary {
  total: number;
  byState: Record<ProxySyncState, number>;
}

export interface ProxiesView {
  generatedAtMs: number;
  /** Whether the control plane answered the certificates API (GET /api/v1/mesh/certs). */
  certs: { ok: true } | { ok: false; code: string; detail: string | null };
  /** Worst first: NACKED, STALE, UNKNOWN, DISCONNECTED, SYNCED; then namespace, workload, id. */
  proxies: ProxyRow[];
  summary: ProxySummary;
  namespaces: string[];
}
