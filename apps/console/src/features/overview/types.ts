import type { ConsoleErrorBody } from '@/lib/errors';

/**
 * The overview's wire types: what GET /api/overview (the console's own route) returns. Kept
 * apart from the control plane's types: this is the decorated view the page needs, joined
 * from the proxy sync list and the telemetry graph on the server.
 */

/** Sync of a workload's proxies, like `istioctl proxy-status`; worst proxy wins. */
export type SyncState = 'SYNCED' | 'STALE' | 'NACKED' | 'DISCONNECTED' | 'UNKNOWN';

export interface WorkloadSync {
  state: SyncState;
  /** Connected proxies of this workload, and how many of them ACKed the latest config (0 when DISCONNECTED). */
  proxies: number;
  synced: number;
  /** Config version a proxy of this workload ACKed (they normally agree). */
  configVersion: string | null;
  /** Why a proxy rejected its config (NACKED), as the proxy reported it. */
  lastError: string | null;
}

export interface WorkloadTraffic {
  /** Inbound requests per second over the window. */
  rps: number;
  /** 0–1; null when there were no requests. */
  errorRate: number | null;
  p99Ms: number | null;
}

export interface WorkloadRow {
  /** NAMESPACE/WORKLOAD */
  id: string;
  workload: string;
  namespace: string;
  app: string | null;
  version: string | null;
  /** null when the sync list could not be read (see sources.proxies). */
  sync: WorkloadSync | null;
  /** null when telemetry could not be read (see sources.telemetry). */
  traffic: WorkloadTraffic | null;
}

export type SourceStatus = { ok: true } | { ok: false; error: ConsoleErrorBody };

export interface OverviewResponse {
  generatedAtMs: number;
  windowSeconds: number;
  /** builtin | prometheus, when telemetry answered. */
  telemetryBackend: string | null;
  sources: { proxies: SourceStatus; telemetry: SourceStatus };
  workloads: WorkloadRow[];
}
