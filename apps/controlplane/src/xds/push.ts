import * as grpc from '@grpc/grpc-js';
import type { MeshSettings, MeshSnapshot, ProxyConfig, ProxyIdentity } from '@trellis/shared';
import type { Registry } from 'prom-client';
import { configDiscoveryService } from '../grpc/proto';
import type { RegistryLease, RegistrySource } from '../registry';
import { translate as defaultTranslate } from '../translate';
import { type ConfigStream, ProxyConnection } from './connection';
import { type DebounceOptions, Debouncer } from './debounce';
import { stderrXdsLogger, type XdsLogFields, type XdsLogger } from './log';
import { XdsMetrics } from './metrics';
import { identityFromNode } from './node';
import type { ResourceSource } from './resource-source';
import type { ProxyStatus } from './status';
import { type AdmittedBy, admitStream, refusalStatus, type StreamCredentialCheck } from './stream-auth';
import { streamPeer } from './stream-peer';

export interface ConfigPushOptions {
  resources: ResourceSource;
  /** Embedded mode passes a registry proxies register in; a Kubernetes registry has no register(). */
  registry: RegistrySource & { register?(identity: ProxyIdentity): RegistryLease };
  settings: MeshSettings;
  /** Default: 100 ms quiet, 1 s at most. */
  debounce?: Partial<DebounceOptions>;
  /** Per-proxy queue of configs waiting behind one in flight (default 1: only the latest matters). */
  queueSize?: number;
  /** Default 30 s. */
  ackTimeoutMs?: number;
  /** How long a disconnected proxy stays listed as DISCONNECTED (default 10 min). */
  disconnectedRetentionMs?: number;
  logger?: XdsLogger;
  metricsRegistry?: Registry;
  /** Replaceable for tests; production uses translate(). */
  translate?: (snapshot: MeshSnapshot, proxy: ProxyIdentity) => ProxyConfig;
  /**
   * The credential a plaintext stream must carry (the CA's join token check, ./stream-auth).
   * Absent (no CA): plaintext streams are taken as they claim. TLS streams are bound to their
   * client certificate either way.
   */
  authenticatePlaintext?: StreamCredentialCheck;
}

/**
 * The ConfigDiscovery service and its push loop: every change of resources or registry, debounced,
 * rebuilds the snapshot, translates it for each connected proxy and sends those whose config
 * changed. Each stream keeps its own sync state (./connection).
 */
export class ConfigPush {
  readonly metrics: XdsMetrics;
  /** Open streams, each with the function that ends it. */
  readonly #live = new Map<ProxyConnection, (reason: string) => void>();
  /** The latest stream of each proxy id, live or not, for the status list. */
  readonly #byId = new Map<string, ProxyConnection>();
  readonly #debouncer: Debouncer;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #log: XdsLogger;
  readonly #translate: (snapshot: MeshSnapshot, proxy: ProxyIdentity) => ProxyConfig;
  #version = 0;
  #closed = false;

  constructor(private readonly options: ConfigPushOptions) {
    this.metrics = new XdsMetrics(options.metricsRegistry);
    this.#log = options.logger ?? stderrXdsLogger;
    this.#translate = options.translate ?? defaultTranslate;
    this.#debouncer = new Debouncer(() => this.pushAll(), {
      quietMs: options.debounce?.quietMs ?? 100,
      maxDelayMs: options.debounce?.maxDelayMs ?? 1000,
    });
    this.#unsubscribe.push(options.resources.onChange(() => this.#debouncer.trigger()));
    this.#unsubscribe.push(options.registry.onChange(() => this.#debouncer.trigger()));
  }

  /** The gRPC handlers, for grpc.Server#addService with configDiscoveryService(). */
  implementation(): grpc.UntypedServiceImplementation {
    return { Stream: (call: ConfigStream) => this.#onStream(call) };
  }

  addTo(server: grpc.Server): void {
    server.addService(configDiscoveryService(), this.implementation());
  }

  /** A consistent snapshot of the mesh now; each build gets the next version. */
  snapshot(): MeshSnapshot {
    this.#version += 1;
    return {
      version: String(this.#version),
      resources: this.options.resources.list(),
      registry: this.options.registry.current(),
      settings: this.options.settings,
    };
  }

  /** Translates the current snapshot for every connected proxy and sends what changed. */
  pushAll(): void {
    if (this.#closed) return;
    this.metrics.totals.debouncedBuilds += 1;
    const snapshot = this.snapshot();
    for (const conn of this.#live.keys()) if (conn.identity) this.#pushTo(conn, snapshot);
  }

  /** Every proxy seen recently, connected or not, sorted by namespace then id. */
  proxies(): ProxyStatus[] {
    const retention = this.options.disconnectedRetentionMs ?? 10 * 60_000;
    const now = Date.now();
    const out: ProxyStatus[] = [];
    for (const [id, conn] of this.#byId) {
      const s = conn.status();
      if (!s) continue;
      if (s.disconnectedAt && now - Date.parse(s.disconnectedAt) > retention) {
        this.#byId.delete(id);
        continue;
      }
      out.push(s);
    }
    return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.id.localeCompare(b.id));
  }

  /** Identities of the proxies with an open stream (telemetry scrapes their metricsAddress). */
  connectedProxies(): ProxyIdentity[] {
    return [...this.#live.keys()].flatMap((c) => (c.identity ? [c.identity] : []));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#debouncer.close();
    for (const u of this.#unsubscribe) u();
    for (const finish of [...this.#live.values()]) finish('control plane shutting down');
  }

  #pushTo(conn: ProxyConnection, snapshot: MeshSnapshot): void {
    const identity = conn.identity;
    if (!identity) return;
    let config: ProxyConfig;
    try {
      config = this.#translate(snapshot, identity);
    } catch (err) {
      this.metrics.translateErrors.inc();
      this.metrics.totals.translateErrors += 1;
      this.#log('error', 'translate failed; the proxy keeps its previous config', {
        proxy: identity.id,
        error: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    conn.offer(config);
  }

  #onStream(call: ConfigStream): void {
    if (this.#closed) {
      call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'control plane shutting down' });
      return;
    }
    const conn = new ProxyConnection(call, {
      queueSize: this.options.queueSize ?? 1,
      ackTimeoutMs: this.options.ackTimeoutMs ?? 30_000,
      logger: this.#log,
      onPush: () => {
        this.metrics.pushes.inc();
        this.metrics.totals.pushes += 1;
      },
      onDrop: () => {
        this.metrics.dropped.inc();
        this.metrics.totals.dropped += 1;
      },
      onNack: () => {
        this.metrics.nacks.inc();
        this.metrics.totals.nacks += 1;
      },
    });
    this.metrics.connected.inc();
    let lease: RegistryLease | undefined;
    let finished = false;
    const finish = (reason: string) => {
      if (finished) return;
      finished = true;
      this.#live.delete(conn);
      this.metrics.connected.dec();
      conn.close(reason);
      lease?.release();
      try {
        call.end();
      } catch {
        // Already closed by the peer.
      }
    };
    this.#live.set(conn, finish);

    // Refuses the stream before it is identified: nothing is registered and no config is sent.
    const refuse = (reason: string, status: Partial<grpc.StatusObject>, fields: XdsLogFields) => {
      this.#log('warn', 'rejected stream', { ...fields, reason, peer: call.getPeer() });
      this.metrics.streamRejected(reason);
      finished = true;
      this.#live.delete(conn);
      this.metrics.connected.dec();
      call.emit('error', status);
    };
    let admitting = false;

    call.on('data', (req) => {
      if (finished) return;
      if (!conn.identity) {
        // A client that writes again before its first answer waits for the admission like everyone.
        if (admitting) {
          this.#log('debug', 'ignored request', { why: 'the stream is not admitted yet' });
          return;
        }
        const parsed = identityFromNode(req.node);
        if (!parsed.ok) {
          refuse(
            'node-invalid',
            { code: grpc.status.INVALID_ARGUMENT, details: parsed.message },
            {
              error: parsed.message,
            },
          );
          return;
        }
        admitting = true;
        const claimed = parsed.identity;
        void admitStream(streamPeer(call), call.metadata, claimed, this.options.authenticatePlaintext).then(
          (admission) => {
            admitting = false;
            if (finished) return;
            if (!admission.ok) {
              // Scalar facts only: the credential itself never reaches this module or the log.
              refuse(admission.code, refusalStatus(admission), {
                proxy: claimed.id,
                namespace: claimed.namespace,
                serviceAccount: claimed.serviceAccount,
                error: admission.message,
              });
              return;
            }
            lease = this.#admit(conn, call, claimed, req.version_info, parsed.proxyVersion, admission.by);
          },
        );
        return;
      }
      const outcome = conn.handle(req);
      if (outcome.kind === 'ignored')
        this.#log('debug', 'ignored request', { proxy: conn.id, why: outcome.why });
      else if (outcome.kind === 'nack')
        this.#log('warn', 'proxy rejected config (NACK)', { proxy: conn.id, error: outcome.message });
    });
    call.on('end', () => finish('proxy closed the stream'));
    call.on('cancelled', () => finish('stream cancelled'));
    call.on('error', (err: Error) => finish(`stream error: ${err.message}`));
    call.on('close', () => finish('stream closed'));
  }

  /** An admitted stream: it becomes the proxy's connection, joins the registry and gets its config. */
  #admit(
    conn: ProxyConnection,
    call: ConfigStream,
    identity: ProxyIdentity,
    runningVersion: string,
    proxyVersion: string,
    by: AdmittedBy,
  ): RegistryLease | undefined {
    conn.identify(identity, runningVersion, proxyVersion);
    // After a control-plane restart, continue above the versions proxies already run, so a
    // proxy's version never goes backwards.
    const running = Number(runningVersion);
    if (Number.isSafeInteger(running) && running > this.#version) this.#version = running;
    this.#byId.set(identity.id, conn);
    this.#log('info', 'proxy connected', {
      proxy: identity.id,
      runningVersion,
      proxyVersion,
      authenticatedBy: by,
      peer: call.getPeer(),
    });
    // Registering changes the registry, which schedules a debounced push to everyone else.
    const lease = this.options.registry.register?.(identity);
    // The new proxy itself is not kept waiting for the debounce.
    this.#pushTo(conn, this.snapshot());
    return lease;
  }
}
