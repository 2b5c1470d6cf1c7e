import type { ProxyCertsWire } from '@/lib/wire/proxy-admin';
import type { ProxyStatusWire } from '@/lib/wire/proxy-status';
import type { ProxiesView, ProxyRow, ProxySyncState, ServiceLink } from '../types';
import { parseState, summarise } from '../view-state';
import { CERT_NOT_REPORTED, certCell } from './cert-cell';
import { timeView } from './relative-time';

/** What needs a look comes first; a state this console does not know counts as needing one. */
const RANK: Record<ProxySyncState, number> = { NACKED: 0, STALE: 1, UNKNOWN: 2, DISCONNECTED: 3, SYNCED: 4 };

const servicePage = (namespace: string, name: string) =>
  `/services/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

/**
 * The proxy's own service list when the control plane reports it (one link per name, ports
 * aside); without that list (an older control plane) the app label, as the overview links.
 */
function servicesOf(p: ProxyStatusWire): ServiceLink[] {
  const names = p.services ? p.services.map((s) => s.name) : p.labels?.app ? [p.labels.app] : [];
  return [...new Set(names)].map((name) => ({ name, href: servicePage(p.namespace, name) }));
}

function rowOf(p: ProxyStatusWire, nowMs: number, certs: Map<string, ProxyCertsWire> | null): ProxyRow {
  const ackedVersion = p.version || null;
  const sentVersion = p.sentVersion || null;
  return {
    id: p.id,
    workload: p.workload,
    namespace: p.namespace,
    app: p.labels?.app ?? null,
    version: p.labels?.version ?? null,
    state: parseState(p.state) ?? 'UNKNOWN',
    ackedVersion,
    sentVersion,
    behind: sentVersion !== null && sentVersion !== ackedVersion,
    lastAck: timeView(p.lastAckTime, nowMs),
    connectedAt: timeView(p.connectedAt, nowMs),
    disconnectedAt: timeView(p.disconnectedAt, nowMs),
    proxyVersion: p.proxyVersion || null,
    pushes: p.pushes ?? null,
    lastError: p.lastError ?? null,
    services: servicesOf(p),
    cert: certs ? certCell(certs.get(p.id), nowMs) : CERT_NOT_REPORTED,
  };
}

/**
 * The control plane's sync list → the page's rows (worst first), summary and namespaces; with its
 * certificates list (GET /api/v1/mesh/certs), each row's certificate. Pure.
 */
export function buildProxiesView(
  list: ProxyStatusWire[],
  nowMs: number,
  certs: { ok: true; data: ProxyCertsWire[] } | { ok: false; code: string; detail: string | null } = {
    ok: false,
    code: 'CONTROL_PLANE_NOT_FOUND',
    detail: null,
  },
): ProxiesView {
  const byProxy = certs.ok ? new Map(certs.data.map((c) => [c.proxy, c])) : null;
  const proxies = list
    .map((p) => rowOf(p, nowMs, byProxy))
    .sort(
      (a, b) =>
        RANK[a.state] - RANK[b.state] ||
        a.namespace.localeCompare(b.namespace) ||
        a.workload.localeCompare(b.workload) ||
        a.id.localeCompare(b.id),
    );
  return {
    generatedAtMs: nowMs,
    certs: certs.ok ? { ok: true } : { ok: false, code: certs.code, detail: certs.detail },
    proxies,
    summary: summarise(proxies),
    namespaces: [...new Set(proxies.map((p) => p.namespace))].sort(),
  };
}
