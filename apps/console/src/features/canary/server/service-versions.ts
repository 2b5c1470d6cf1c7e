import type { ProxyStatusWire } from '@/lib/wire/proxy-status';
import type { ServiceVersion, UnroutedService } from '../types';
import type { VirtualServiceObject } from './schemas';
import { routesService, serviceFqdn } from './split-view';

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

/**
 * Services with two or more versions that no VirtualService routes: where "Create traffic
 * shifting" has something to offer (the list page's second section), sorted by namespace and name.
 */
export function unroutedServicesOf(
  proxies: ProxyStatusWire[],
  virtualServices: VirtualServiceObject[],
): UnroutedService[] {
  const keys = new Set<string>();
  for (const p of proxies) for (const s of p.services ?? []) keys.add(`${p.namespace}/${s.name}`);
  const out: UnroutedService[] = [];
  for (const key of keys) {
    const [namespace = '', service = ''] = key.split('/');
    const versions = serviceVersionsOf(proxies, namespace, service).map((v) => v.version);
    if (versions.length < 2) continue;
    const fqdn = serviceFqdn(namespace, service);
    if (virtualServices.some((vs) => routesService(vs, fqdn))) continue;
    out.push({ namespace, service, versions });
  }
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.service.localeCompare(b.service));
}
