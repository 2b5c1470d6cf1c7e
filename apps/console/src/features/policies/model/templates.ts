import type { MeshKind } from '@trellis/shared/kinds';

/** A starting point per kind for "New": Istio's own shapes, as in its docs. */
export function templateFor(kind: MeshKind, namespace: string): string {
  switch (kind) {
    case 'VirtualService':
      return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: ${namespace}
spec:
  hosts:
    - reviews
  http:
    - route:
        - destination:
            host: reviews
            subset: v1
          weight: 90
        - destination:
            host: reviews
            subset: v2
          weight: 10
`;
    case 'DestinationRule':
      return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: ${namespace}
spec:
  host: reviews
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2
`;
    case 'PeerAuthentication':
      return `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: ${namespace}
spec:
  mtls:
    mode: STRICT
`;
    case 'AuthorizationPolicy':
      return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ratings-viewer
  namespace: ${namespace}
spec:
  selector:
    matchLabels:
      app: ratings
  action: ALLOW
  rules:
    - from:
        - source:
            principals:
              - cluster.local/ns/${namespace}/sa/bookinfo-reviews
      to:
        - operation:
            methods:
              - GET
`;
  }
}
