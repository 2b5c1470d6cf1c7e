import type { ServiceRegistry } from '@trellis/shared';

/**
 * Where the services and endpoints of the mesh come from. Embedded mode builds it from the
 * proxies that connect (./embedded); Kubernetes mode will build it from Services,
 * EndpointSlices and Pods behind the same interface.
 */
export interface RegistrySource {
  /** The current registry; a new object after each change, never mutated in place. */
  current(): ServiceRegistry;
  /** Called after each change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}
