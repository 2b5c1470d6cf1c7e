import {
  fqdn,
  type MeshEndpoint,
  type MeshService,
  type ProxyIdentity,
  type ServiceRegistry,
} from '@trellis/shared';
import type { RegistrySource } from './types';

export interface EmbeddedRegistryOptions {
  /**
   * How long a disconnected proxy's endpoints stay (ms), so that a proxy reconnecting quickly
   * (control-plane restart, network blip) does not make its service flap in every other proxy.
   */
  graceMs?: number;
}

/** A proxy's hold on its registry entries; release() starts the grace period. */
export interface RegistryLease {
  release(): void;
}

interface Entry {
  identity: ProxyIdentity;
  lease: symbol;
  removal?: NodeJS.Timeout;
}

/** The port part of "host:port" (or "[v6]:port"); 0 when absent. */
function portOf(address: string): number {
  const colon = address.lastIndexOf(':');
  const n = colon >= 0 ? Number(address.slice(colon + 1)) : Number.NaN;
  return Number.isInteger(n) ? n : 0;
}

export function endpointsOf(identity: ProxyIdentity): MeshEndpoint[] {
  return identity.services.map((s) => ({
    id: identity.id,
    workload: identity.workload,
    namespace: identity.namespace,
    serviceAccount: identity.serviceAccount,
    labels: { ...identity.labels },
    service: s.name,
    servicePort: s.port,
    address: identity.inboundAddress,
    port: portOf(identity.inboundAddress),
    hasSidecar: true,
    ...(identity.appPort ? { targetPort: identity.appPort } : {}),
  }));
}

/**
 * The embedded mode's registry: every connected proxy is one endpoint per service port it
 * serves, and a service exists while at least one endpoint does. Keyed by proxy id, so a
 * reconnecting proxy replaces its own entry.
 */
export class EmbeddedRegistry implements RegistrySource {
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<() => void>();
  readonly #graceMs: number;
  #snapshot: ServiceRegistry = { services: [], endpoints: [] };

  constructor(options: EmbeddedRegistryOptions = {}) {
    this.#graceMs = options.graceMs ?? 5000;
  }

  current(): ServiceRegistry {
    return this.#snapshot;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Adds or replaces a proxy's endpoints; cancels a pending removal of the same proxy. */
  register(identity: ProxyIdentity): RegistryLease {
    const previous = this.#entries.get(identity.id);
    if (previous?.removal) clearTimeout(previous.removal);
    const lease = Symbol(identity.id);
    this.#entries.set(identity.id, { identity, lease });
    if (!previous || JSON.stringify(previous.identity) !== JSON.stringify(identity)) this.#rebuild();
    return {
      release: () => {
        const entry = this.#entries.get(identity.id);
        // A newer stream of the same proxy owns the entry now.
        if (!entry || entry.lease !== lease || entry.removal) return;
        entry.removal = setTimeout(() => {
          if (this.#entries.get(identity.id) !== entry) return;
          this.#entries.delete(identity.id);
          this.#rebuild();
        }, this.#graceMs);
        entry.removal.unref();
      },
    };
  }

  /** Identities of the proxies currently in the registry (connected or within their grace). */
  identities(): ProxyIdentity[] {
    return [...this.#entries.values()].map((e) => e.identity);
  }

  close(): void {
    for (const e of this.#entries.values()) if (e.removal) clearTimeout(e.removal);
    this.#listeners.clear();
  }

  #rebuild(): void {
    const endpoints: MeshEndpoint[] = [];
    const services = new Map<string, MeshService>();
    const ids = [...this.#entries.keys()].sort();
    for (const id of ids) {
      for (const ep of endpointsOf(this.#entries.get(id)!.identity)) {
        endpoints.push(ep);
        const hostname = fqdn(ep.service, ep.namespace);
        let svc = services.get(hostname);
        if (!svc) {
          svc = { name: ep.service, namespace: ep.namespace, hostname, ports: [] };
          services.set(hostname, svc);
        }
        if (!svc.ports.some((p) => p.port === ep.servicePort))
          svc.ports.push({ port: ep.servicePort, protocol: 'HTTP' });
      }
    }
    for (const s of services.values()) s.ports.sort((a, b) => a.port - b.port);
    this.#snapshot = {
      services: [...services.values()].sort((a, b) => (a.hostname < b.hostname ? -1 : 1)),
      endpoints,
    };
    for (const l of this.#listeners) l();
  }
}
