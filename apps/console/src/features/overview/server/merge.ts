import type { SyncState, WorkloadRow, WorkloadSync } from '../types';
import type { GraphSubset, ProxyEntry } from './schemas';

/** Worse states sort higher: a workload is as synced as its least-synced proxy. */
const SEVERITY: Record<SyncState, number> = { SYNCED: 0, UNKNOWN: 1, STALE: 2, NACKED: 3, DISCONNECTED: 4 };

export function normaliseState(raw: string): SyncState {
  const s = raw.toUpperCase();
  return s === 'SYNCED' || s === 'STALE' || s === 'NACKED' || s === 'DISCONNECTED' ? s : 'UNKNOWN';
}

function syncOf(all: ProxyEntry[]): WorkloadSync {
  // The control plane keeps a gone proxy in the list for a while (DISCONNECTED); once a
  // replacement is connected, the old entry says nothing about the workload any more.
  const connected = all.filter((p) => normaliseState(p.state) !== 'DISCONNECTED');
  const proxies = connected.length > 0 ? connected : all;
  let state: SyncState = 'SYNCED';
  let synced = 0;
  let lastError: string | null = null;
  for (const p of proxies) {
    const s = normaliseState(p.state);
    if (s === 'SYNCED') synced++;
    if (SEVERITY[s] > SEVERITY[state]) state = s;
    lastError ??= p.lastError ?? null;
  }
  const configVersion = proxies.find((p) => p.version)?.version ?? null;
  return { state, proxies: connected.length, synced, configVersion, lastError };
}

/**
 * One row per workload, from whichever sources answered: the sync list says what is connected,
 * the graph what carried traffic. `null` for a source means it could not be read, which the
 * row shows as unknown rather than as zero.
 */
export function mergeOverview(proxies: ProxyEntry[] | null, graph: GraphSubset | null): WorkloadRow[] {
  const rows = new Map<string, WorkloadRow>();
  const row = (namespace: string, workload: string): WorkloadRow => {
    const id = `${namespace}/${workload}`;
    let r = rows.get(id);
    if (!r) {
      r = { id, workload, namespace, app: null, version: null, sync: null, traffic: null };
      rows.set(id, r);
    }
    return r;
  };

  if (proxies) {
    const byWorkload = new Map<string, ProxyEntry[]>();
    for (const p of proxies) {
      const id = `${p.namespace}/${p.workload}`;
      byWorkload.set(id, [...(byWorkload.get(id) ?? []), p]);
    }
    for (const list of byWorkload.values()) {
      const first = list[0]!;
      const r = row(first.namespace, first.workload);
      r.app = first.labels?.app ?? null;
      r.version = first.labels?.version ?? null;
      r.sync = syncOf(list);
    }
  }

  if (graph) {
    for (const node of graph.nodes) {
      if (node.kind !== 'workload' || !node.workload) continue;
      const r = row(node.namespace, node.workload);
      r.app ??= node.app ?? null;
      if (r.version === null && node.version && node.version !== 'unknown') r.version = node.version;
      r.traffic = { rps: node.inbound.rps, errorRate: node.inbound.errorRate, p99Ms: node.inbound.p99Ms };
    }
  }

  for (const r of rows.values()) {
    // A source that answered but did not mention the workload is a fact, not a gap.
    if (proxies && r.sync === null)
      r.sync = { state: 'DISCONNECTED', proxies: 0, synced: 0, configVersion: null, lastError: null };
    if (graph && r.traffic === null) r.traffic = { rps: 0, errorRate: null, p99Ms: null };
  }

  return [...rows.values()].sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) ||
      (a.app ?? a.workload).localeCompare(b.app ?? b.workload) ||
      (a.version ?? '').localeCompare(b.version ?? '') ||
      a.workload.localeCompare(b.workload),
  );
}
