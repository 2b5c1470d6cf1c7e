/**
 * Cluster and endpoint state that outlives any one config: connection pools, outlier ejection,
 * in-flight counters, the round-robin cursor. Keyed by cluster name and endpoint host:port, so a
 * config push that keeps a cluster keeps its pools warm and its ejected hosts ejected (as Envoy
 * does across CDS updates that do not change the cluster).
 */

import { H1Transport, type PoolLimits } from '../upstream/h1';
import { H2Transport } from '../upstream/h2';
import type { Releasable } from '../upstream/outcome';

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
  private h1Key = '';
  private h2: H2Transport | null = null;
  private h2Key = 0;

  constructor(
    readonly cluster: string,
    readonly host: string,
    readonly port: number,
  ) {}

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  release(): void {
    this.active--;
  }

  http1(limits: PoolLimits): H1Transport {
    const key = `${limits.connections}/${limits.maxRequestsPerConnection}`;
    if (this.h1 === null || this.h1Key !== key) {
      // Pool settings changed in a push: new requests get a new pool, the old one drains.
      void this.h1?.close();
      this.h1 = new H1Transport(`http://${this.address}`, limits);
      this.h1Key = key;
    }
    return this.h1;
  }

  http2(maxRequestsPerConnection: number): H2Transport {
    if (this.h2 === null || this.h2Key !== maxRequestsPerConnection) {
      void this.h2?.close();
      this.h2 = new H2Transport(`http://${this.address}`, maxRequestsPerConnection);
      this.h2Key = maxRequestsPerConnection;
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

  constructor(readonly name: string) {}

  endpoint(host: string, port: number): EndpointState {
    const key = `${host}:${port}`;
    let e = this.endpoints.get(key);
    if (!e) {
      e = new EndpointState(this.name, host, port);
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

  get(name: string): ClusterState {
    let c = this.clusters.get(name);
    if (!c) {
      c = new ClusterState(name);
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
