/** A proxy's config sync state, as `trellis status` and the console show it (istioctl proxy-status). */
export type SyncState = 'SYNCED' | 'STALE' | 'NACKED' | 'DISCONNECTED';

export interface ProxyStatus {
  /** The proxy's id (unique per proxy instance). */
  id: string;
  workload: string;
  namespace: string;
  /** The proxy's workload labels (app, version, ...), as it reported them. */
  labels: Record<string, string>;
  /** The services (short names) and ports the proxy said its workload serves (`--service NAME:PORT`). */
  services?: { name: string; port: number }[];
  /** The config version the proxy last ACKed, i.e. the one it serves; "" before the first ACK. */
  version: string;
  /** The version last sent to it (differs from `version` while STALE or NACKED). */
  sentVersion: string;
  state: SyncState;
  /** RFC 3339; null before the first ACK on this stream. */
  lastAckTime: string | null;
  /** The proxy's error_detail of its last NACK; null once a later config is ACKed. */
  lastError: string | null;
  /** RFC 3339 start of the current (or last) stream. */
  connectedAt: string;
  /** RFC 3339; null while connected. */
  disconnectedAt: string | null;
  /** The proxy's own build version, as it reported it. */
  proxyVersion: string;
  /** Configs sent on the current stream. */
  pushes: number;
  /**
   * host:port of the sidecar's admin listener (loopback), as it reported it; absent from proxies
   * that do not send it. The control plane reads /clusters and /certs there (../proxy-admin).
   */
  adminAddress?: string;
}

/** The console path of the sync-state list (TELEMETRY_API_PREFIX's console API family). */
export const PROXY_STATUS_PATH = '/api/v1/mesh/proxies';
