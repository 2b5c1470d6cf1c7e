/** Control plane paths of PeerAuthentication (docs/api.md). */
const SEC_API = '/apis/security.istio.io/v1';

export const securityPaths = {
  allPeerAuthentications: `${SEC_API}/peerauthentications`,
  peerAuthentications: (ns: string) => `${SEC_API}/namespaces/${encodeURIComponent(ns)}/peerauthentications`,
  peerAuthentication: (ns: string, name: string) =>
    `${SEC_API}/namespaces/${encodeURIComponent(ns)}/peerauthentications/${encodeURIComponent(name)}`,
};
