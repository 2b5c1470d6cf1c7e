import type { ProxyStatusWire } from '@/lib/wire/proxy-status';
import type { ServiceVersion } from '../types';

/** Version names in the order the page lists them (and Kiali starts: all traffic to the first). */
export function byVersionName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The versions the mesh knows for NS/SERVICE: the `version` labels of the proxies whose workload
 * serves the service (`--service NAME:PORT`, short names in the proxy's namespace). The proxy list
 * is the control plane's own record of who connected, so a version shows even before it has had
 * traffic (the graph only knows workloads that sent or received requests). A DISCONNECTED proxy is
 * left out: its workload is gone or restarting, and a subset for it would route to nothing.
 */
export function serviceVersionsOf(
  proxies: ProxyStatusWire[],
  namespace: string,
  service: string,
): ServiceVersion[] {
  const byVersion = new Map<string, Set<string>>();
  for (const p of proxies) {
    if (p.namespace !== namespace || p.state === 'DISCONNECTED') continue;
    if (!(p.services ?? []).some((s) => s.name === service)) continue;
    const version = p.labels?.version;
    if (!version) continue;
    const workloads = byVersion.get(version) ?? new Set<string>();
    workloads.add(p.workload);
    byVersion.set(version, workloads);
  }
  return [...byVersion.entries()]
    .map(([version, workloads]) => ({ version, workloads: [...workloads].sort() }))
    .sort((a, b) => byVersionName(a.version, b.version));
}
