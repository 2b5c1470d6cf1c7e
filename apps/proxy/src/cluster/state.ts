/**
 * Cluster and endpoint state that outlives any one config: connection pools, outlier ejection,
 * in-flight counters, the round-robin cursor. Keyed by cluster name and endpoint host:port, so a
 * config push that keeps a cluster keeps its pools warm and its ejected hosts ejected (as Envoy
 * does across CDS updates that do not change the cluster).
 */

import { H1Transport, type PoolLimits } from '../upstream/h1';
import { H2Transport } from '../upstream/h2';
import type { Releasable } from '../upstream/outcome';
import { meshConnector, openMeshSocket, type TlsTarget, type UpstreamTlsSlot } from '../upstream/tls';

const NO_TLS: UpstreamTlsSlot = { client: null };

export class EndpointState implements Releasable {
  /** Requests in flight to this endpoint (LEAST_REQUEST's load signal). */
  active = 0;
  // Outlier detection (Envoy semantics, see layers/outlier.ts).
  consecutive5xx = 0;
  consecutiveGateway = 0;
  ejected = false;
  ejectedAtMs = 0;
  /** Times ejected; the ejection lasts baseEjectionTime × this. Decays while healthy. */
  ejections = 0;
  totalRequests = 0;
  totalErrors = 0;

  private h1: H1Transport | null = null;
  private h1Connections: number | null = null;
  private h1MaxRequests = 0;
  /** The peer identity the pool's connections verified (mTLS), or null for plaintext. */
  private h1Peer: string | null = null;
  private h2: H2Transport | null = null;
  private h2MaxRequests = 0;
  private h2Peer: string | null = null;

  constructor(
    readonly cluster: string,
    readonly host: string,
    readonly port: number,
    private readonly tls: UpstreamTlsSlot = NO_TLS,
  ) {}

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  release(): void {
    this.active--;
  }

  /**
   * mTLS to this endpoint when its config says ISTIO_MUTUAL and the proxy has a mesh identity:
   * the SPIFFE id the peer must present ("" when the config names none), else null (plaintext).
   */
  private peerFor(target: TlsTarget | undefined): string | null {
    if (target === undefined || target.tlsMode !== 'ISTIO_MUTUAL' || this.tls.client === null) return null;
    return target.principal ?? '';
  }

  http1(limits: PoolLimits, target?: TlsTarget): H1Transport {
    const peer = this.peerFor(target);
    if (
      this.h1 === null ||
      this.h1Connections !== limits.connections ||
      this.h1MaxRequests !== limits.maxRequestsPerConnection ||
      this.h1Peer !== peer
    ) {
      // Pool settings or the TLS mode changed in a push: new requests get a new pool, the old drains.
      void this.h1?.close();
      const client = this.tls.client;
      this.h1 = new H1Transport(
        `http://${this.address}`,
        limits,
        peer !== null && client !== null
          ? meshConnector(this.host, this.port, client, peer || undefined)
          : undefined,
      );
      this.h1Connections = limits.connections;
      this.h1MaxRequests = limits.maxRequestsPerConnection;
      this.h1Peer = peer;
    }
    return this.h1;
  }

  http2(maxRequestsPerConnection: number, target?: TlsTarget): H2Transport {
    const peer = this.peerFor(target);
    if (this.h2 === null || this.h2MaxRequests !== maxRequestsPerConnection || this.h2Peer !== peer) {
      void this.h2?.close();
      const client = this.tls.client;
      const { host, port } = this;
      this.h2 = new H2Transport(
        `http://${this.address}`,
        maxRequestsPerConnection,
        peer !== null && client !== null
          ? () => openMeshSocket(host, port, client, peer || undefined, 'h2')
          : undefined,
      );
      this.h2MaxRequests = maxRequestsPerConnection;
      this.h2Peer = peer;
    }
    return this.h2;
  }

  close(graceful: boolean): Promise<void> {
    const all: Promise<void>[] = [];
    if (this.h1) all.push(graceful ? this.h1.close() : this.h1.destroy());
    if (this.h2) all.push(graceful ? this.h2.close() : this.h2.destroy());
    this.h1 = null;
    this.h2 = null;
    return Promise.all(all).then(() => undefined);
  }
}

type Waiter = (admitted: boolean) => void;

/** Per-cluster counters for circuit breaking, the retry budget and load balancing. */
export class ClusterState implements Releasable {
  /** Requests holding a connection slot (HTTP/1.1: one request per connection). */
  active = 0;
  /** Requests waiting for a slot (Envoy's pending requests). */
  readonly pending: Waiter[] = [];
  /** Retries in flight (Envoy's max_retries circuit breaker counts outstanding retries). */
  retriesActive = 0;
  /** Round-robin cursor. */
  rr = 0;
  /** Current connection limit; read on release to admit the next waiter. */
  maxActive = Number.POSITIVE_INFINITY;
  readonly endpoints = new Map<string, EndpointState>();
  outlierTimer: NodeJS.Timeout | null = null;
  stats = { overflow: 0, retries: 0, retryOverflow: 0, ejections: 0, noHealthy: 0 };

  constructor(
    readonly name: string,
    private readonly tls: UpstreamTlsSlot = NO_TLS,
  ) {}

  endpoint(host: string, port: number): EndpointState {
    const key = `${host}:${port}`;
    let e = this.endpoints.get(key);
    if (!e) {
      e = new EndpointState(this.name, host, port, this.tls);
      this.endpoints.set(key, e);
    }
    return e;
  }

  /** A slot was freed: hand it to the oldest waiter (FIFO, like Envoy's pending queue). */
  release(): void {
    this.active--;
    while (this.active < this.maxActive && this.pending.length > 0) {
      const w = this.pending.shift()!;
      this.active++;
      w(true);
    }
  }

  close(graceful: boolean): Promise<void> {
    if (this.outlierTimer) clearInterval(this.outlierTimer);
    this.outlierTimer = null;
    for (const w of this.pending.splice(0)) w(false);
    return Promise.all([...this.endpoints.values()].map((e) => e.close(graceful))).then(() => undefined);
  }
}

/** All clusters' state; the config compiler asks it for state by name. */
export class ClusterStates {
  private readonly clusters = new Map<string, ClusterState>();
  /** Upstream mTLS for every endpoint: startProxy sets `client` when the proxy has a mesh identity. */
  readonly tls: UpstreamTlsSlot = { client: null };

  get(name: string): ClusterState {
    let c = this.clusters.get(name);
    if (!c) {
      c = new ClusterState(name, this.tls);
      this.clusters.set(name, c);
    }
    return c;
  }

  all(): IterableIterator<ClusterState> {
    return this.clusters.values();
  }

  /**
   * After a swap: drop the state of clusters and endpoints the new config no longer has.
   * Their pools close gracefully, so requests still running on the old config finish.
   */
  retain(live: Map<string, Set<string>>): void {
    for (const [name, c] of this.clusters) {
      const eps = live.get(name);
      if (!eps) {
        this.clusters.delete(name);
        void c.close(true);
        continue;
      }
      for (const [key, e] of c.endpoints)
        if (!eps.has(key)) {
          c.endpoints.delete(key);
          void e.close(true);
        }
    }
  }

  close(): Promise<void> {
    const all = [...this.clusters.values()].map((c) => c.close(false));
    this.clusters.clear();
    return Promise.all(all).then(() => undefined);
  }
}
