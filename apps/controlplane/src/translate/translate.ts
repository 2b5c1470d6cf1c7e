import type {
  MeshSnapshot,
  ProxyConfig,
  ProxyIdentity,
  VirtualHost,
  VirtualServiceResource,
} from '@trellis/shared';
import { authorizationFor } from './authz';
import { buildCluster } from './clusters';
import { clusterName, hostMatches, resolveHost, serviceDomains } from './hosts';
import { indexSnapshot } from './mesh-index';
import { effectiveMtls } from './peer-auth';
import { type ClusterRef, defaultRoute, virtualServiceRoutes } from './routes';

// The port a VirtualService host outside the registry is reached on (plain HTTP).
const EXTERNAL_HOST_PORT = 80;

/** VirtualServices bound to gateways only do not program sidecars ("mesh" is the sidecars' gateway). */
function appliesToSidecars(vs: VirtualServiceResource): boolean {
  const gateways = vs.spec.gateways ?? [];
  return gateways.length === 0 || gateways.includes('mesh');
}

function resolvedHosts(vs: VirtualServiceResource): string[] {
  return (vs.spec.hosts ?? []).map((h) => resolveHost(h, vs.metadata.namespace, 'cluster.local'));
}

/**
 * The VirtualService that routes a host: one naming it exactly beats a wildcard; among equals the
 * oldest wins (Istio ignores the later ones for sidecars and `istioctl analyze` flags them).
 * exportTo is not evaluated yet: every VirtualService is visible mesh-wide (Istio's default "*").
 */
function virtualServiceFor(all: VirtualServiceResource[], host: string): VirtualServiceResource | undefined {
  return (
    all.find((vs) => resolvedHosts(vs).includes(host)) ??
    all.find((vs) => resolvedHosts(vs).some((h) => h.includes('*') && hostMatches(h, host)))
  );
}

/**
 * translate(snapshot, proxy) → the ProxyConfig for that proxy: a pure function (no I/O, no
 * clock), deterministic for equal inputs so the push loop can compare results by hash.
 */
export function translate(snapshot: MeshSnapshot, proxy: ProxyIdentity): ProxyConfig {
  const index = indexSnapshot(snapshot);
  const meshVs = index.virtualServices.filter(appliesToSidecars);
  const refs: ClusterRef[] = [];
  const virtualHosts: VirtualHost[] = [];

  for (const service of index.services) {
    const vs = virtualServiceFor(meshVs, service.hostname);
    for (const { port } of service.ports) {
      const routeRefs: ClusterRef[] = [];
      let routes = vs ? virtualServiceRoutes(vs, proxy, port, index, routeRefs) : [];
      if (routes.length === 0) {
        routes = [defaultRoute(service.hostname, port)];
        routeRefs.length = 0;
        routeRefs.push({ host: service.hostname, port });
      }
      refs.push(...routeRefs);
      virtualHosts.push({
        name: `${service.hostname}:${port}`,
        domains: serviceDomains(service, proxy.namespace),
        port,
        routes,
      });
    }
  }

  // Hosts named only by a VirtualService (not in the registry) still get their routes.
  const seen = new Set(index.services.map((s) => s.hostname));
  for (const vs of meshVs) {
    for (const host of resolvedHosts(vs)) {
      if (host.includes('*') || seen.has(host)) continue;
      seen.add(host);
      const routeRefs: ClusterRef[] = [];
      const routes = virtualServiceRoutes(vs, proxy, EXTERNAL_HOST_PORT, index, routeRefs);
      if (routes.length === 0) continue;
      refs.push(...routeRefs);
      virtualHosts.push({
        name: `${host}:${EXTERNAL_HOST_PORT}`,
        domains: [host],
        port: EXTERNAL_HOST_PORT,
        routes,
      });
    }
  }
  virtualHosts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const byName = new Map<string, ClusterRef>();
  for (const ref of refs) byName.set(clusterName(ref.host, ref.port, ref.subset), ref);
  const clusters = [...byName.keys()].sort().map((name) => buildCluster(index, byName.get(name)!, proxy));

  const mtls = effectiveMtls(index, proxy.namespace, proxy.labels);
  return {
    version: snapshot.version,
    outbound: { virtualHosts, clusters },
    inbound: {
      appHost: '127.0.0.1',
      appPort: proxy.appPort ?? proxy.services[0]?.port ?? 0,
      mtls: { mode: mtls.mode, portLevel: mtls.portLevel },
      authorization: authorizationFor(index, proxy),
    },
    telemetry: {
      accessLog: snapshot.settings.accessLog,
      tracing: { ...snapshot.settings.tracing },
    },
  };
}
