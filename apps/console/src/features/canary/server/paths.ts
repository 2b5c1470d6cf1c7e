/** Control plane paths of the kinds the canary page reads and writes (docs/api.md). */
export const VS_API = '/apis/networking.istio.io/v1';

export const canaryPaths = {
  allVirtualServices: `${VS_API}/virtualservices`,
  virtualServices: (ns: string) => `${VS_API}/namespaces/${encodeURIComponent(ns)}/virtualservices`,
  virtualService: (ns: string, name: string) =>
    `${VS_API}/namespaces/${encodeURIComponent(ns)}/virtualservices/${encodeURIComponent(name)}`,
  // Every namespace's: a DestinationRule may sit apart from the VirtualService that names its host.
  allDestinationRules: `${VS_API}/destinationrules`,
  destinationRules: (ns: string) => `${VS_API}/namespaces/${encodeURIComponent(ns)}/destinationrules`,
  destinationRule: (ns: string, name: string) =>
    `${VS_API}/namespaces/${encodeURIComponent(ns)}/destinationrules/${encodeURIComponent(name)}`,
};

/** The control plane's proxy sync list (docs/config-push.md): who serves which service at which version. */
export const PROXIES_PATH = '/api/v1/mesh/proxies';

/** Namespace and service names as Kubernetes allows them (DNS-1123 labels). */
export const NAME_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
