import type { ProxyStatusWire as ProxyWire } from '@/lib/wire/proxy-status';
import type { EndpointRow, ProxySyncState } from '../types';
import type { ServiceMetricsWire } from './schemas';

export function syncState(raw: string): ProxySyncState {
  const s = raw.toUpperCase();
  return s === 'SYNCED' || s === 'STALE' || s === 'NACKED' || s === 'DISCONNECTED' ? s : 'UNKNOWN';
}

/**
 * The proxies that serve a service. A proxy that lists its services (`--service NAME:PORT`,
 * ProxyStatus.services) counts when the list names this one. Older control planes do not send
 * the list; then a proxy counts when its workload carries the service's name as its app label
 * (Istio's canonical service) or telemetry saw its workload answer for the service. Connected
 * proxies first, then by version and id.
 */
export function endpointsOf(
  proxies: ProxyWire[],
  service: { namespace: string; name: string },
  metrics: ServiceMetricsWire | null,
): Omit<EndpointRow, 'outlier'>[] {
  const seen = new Set((metrics?.versions ?? []).map((v) => v.workload).filter((w) => w !== undefined));
  const rows: Omit<EndpointRow, 'outlier'>[] = [];
  for (const p of proxies) {
    if (p.namespace !== service.namespace) continue;
    const app = p.labels?.app ?? p.labels?.['service.istio.io/canonical-name'];
    const matchedBy: EndpointRow['matchedBy'] | null = p.services
      ? p.services.some((s) => s.name === service.name)
        ? 'service'
        : null
      : app === service.name
        ? 'app-label'
        : seen.has(p.workload)
          ? 'telemetry'
          : null;
    if (matchedBy === null) continue;
    rows.push({
      id: p.id,
      workload: p.workload,
      version: p.labels?.version ?? null,
      state: syncState(p.state),
      configVersion: p.version ?? '',
      sentVersion: p.sentVersion ?? null,
      lastAckTime: p.lastAckTime ?? null,
      connectedAt: p.connectedAt ?? null,
      disconnectedAt: p.disconnectedAt ?? null,
      lastError: p.lastError ?? null,
      proxyVersion: p.proxyVersion ?? null,
      matchedBy,
    });
  }
  const gone = (r: Omit<EndpointRow, 'outlier'>) => (r.state === 'DISCONNECTED' ? 1 : 0);
  return rows.sort(
    (a, b) =>
      gone(a) - gone(b) || (a.version ?? '').localeCompare(b.version ?? '') || a.id.localeCompare(b.id),
  );
}
