import { randomBytes } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { ProxyConfig, ProxyIdentity } from '@trellis/shared';
import type { WireDiscoveryRequest, WireDiscoveryResponse } from '../grpc/messages';
import { configHash } from './hash';
import type { XdsLogger } from './log';
import type { ProxyStatus, SyncState } from './status';

/** CONNECTING: the stream is open but the proxy has not said who it is yet. */
export type ConnectionState = 'CONNECTING' | SyncState;

const TRANSITIONS: Record<ConnectionState, readonly ConnectionState[]> = {
  CONNECTING: ['STALE', 'DISCONNECTED'],
  STALE: ['STALE', 'SYNCED', 'NACKED', 'DISCONNECTED'],
  SYNCED: ['STALE', 'DISCONNECTED'],
  NACKED: ['STALE', 'NACKED', 'DISCONNECTED'],
  DISCONNECTED: [],
};

export type ConfigStream = grpc.ServerDuplexStream<WireDiscoveryRequest, WireDiscoveryResponse>;

export interface ConnectionOptions {
  /** Configs waiting while one is in flight; the oldest is dropped when full (only the latest matters). */
  queueSize: number;
  /** Stop waiting for an ACK after this long (ms) and send what is queued. */
  ackTimeoutMs: number;
  logger: XdsLogger;
  onPush(): void;
  onDrop(): void;
  onNack(): void;
}

interface Pending {
  config: ProxyConfig;
  hash: string;
}

interface InFlight {
  nonce: string;
  version: string;
  hash: string;
  timer: NodeJS.Timeout;
}

export type RequestOutcome =
  | { kind: 'ack'; version: string }
  | { kind: 'nack'; message: string }
  | { kind: 'ignored'; why: string };

let nonceCounter = 0;

function newNonce(): string {
  nonceCounter += 1;
  return `${nonceCounter.toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * One proxy's ConfigDiscovery stream, xDS state-of-the-world style: at most one response in
 * flight; each is answered by an ACK (same nonce, no error_detail) or a NACK (error_detail). While
 * one is in flight, newer configs wait in a small queue where later ones replace older ones.
 */
export class ProxyConnection {
  #state: ConnectionState = 'CONNECTING';
  identity?: ProxyIdentity;
  proxyVersion = '';
  readonly connectedAt = new Date();
  #disconnectedAt: Date | null = null;
  #ackedVersion = '';
  #sentVersion = '';
  #lastAckTime: Date | null = null;
  #lastError: string | null = null;
  #pushes = 0;
  #queue: Pending[] = [];
  /** The hash of the last config offered (queued or sent), to skip offers that change nothing. */
  #offeredHash?: string;
  /** The hash of the last config written to the stream. */
  #sentHash?: string;
  #inFlight?: InFlight;
  #awaitingDrain = false;

  constructor(
    private readonly call: ConfigStream,
    private readonly options: ConnectionOptions,
  ) {
    call.on('drain', () => {
      this.#awaitingDrain = false;
      this.#flush();
    });
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get id(): string {
    return this.identity?.id ?? '(unidentified)';
  }

  /** Records the proxy's identity and the version it says it already runs (from an earlier stream). */
  identify(identity: ProxyIdentity, runningVersion: string, proxyVersion: string): void {
    this.identity = identity;
    this.#ackedVersion = runningVersion;
    this.proxyVersion = proxyVersion;
  }

  /** Queues a config for this proxy unless it equals the last one offered. */
  offer(config: ProxyConfig): void {
    if (this.#state === 'DISCONNECTED') return;
    const hash = configHash(config);
    if (hash === this.#offeredHash) return;
    this.#offeredHash = hash;
    this.#queue.push({ config, hash });
    while (this.#queue.length > this.options.queueSize) {
      this.#queue.shift();
      this.options.onDrop();
    }
    this.#flush();
  }

  /** Handles a request after the first: an ACK or NACK of the response in flight, or noise. */
  handle(req: WireDiscoveryRequest): RequestOutcome {
    const inFlight = this.#inFlight;
    if (!inFlight || req.response_nonce !== inFlight.nonce) {
      // xDS: a request naming an older nonce answers a response already superseded.
      return { kind: 'ignored', why: `nonce "${req.response_nonce}" is not the one in flight` };
    }
    clearTimeout(inFlight.timer);
    this.#inFlight = undefined;
    const error = req.error_detail;
    if (error && (error.message !== '' || error.code !== 0)) {
      this.#lastError = error.message || `error code ${error.code}`;
      this.options.onNack();
      this.#transition('NACKED', { version: inFlight.version, error: this.#lastError });
      this.#flush();
      return { kind: 'nack', message: this.#lastError };
    }
    this.#ackedVersion = req.version_info || inFlight.version;
    this.#lastAckTime = new Date();
    this.#lastError = null;
    this.#transition('SYNCED', { version: this.#ackedVersion });
    this.#flush();
    return { kind: 'ack', version: this.#ackedVersion };
  }

  close(reason: string): void {
    if (this.#state === 'DISCONNECTED') return;
    if (this.#inFlight) clearTimeout(this.#inFlight.timer);
    this.#inFlight = undefined;
    this.#queue = [];
    this.#disconnectedAt = new Date();
    this.#transition('DISCONNECTED', { reason });
  }

  status(): ProxyStatus | undefined {
    const id = this.identity;
    if (!id) return undefined;
    return {
      id: id.id,
      workload: id.workload,
      namespace: id.namespace,
      labels: { ...id.labels },
      services: id.services.map((s) => ({ name: s.name, port: s.port })),
      version: this.#ackedVersion,
      sentVersion: this.#sentVersion,
      // Identified but nothing sent yet (translate failed): not in sync.
      state: this.#state === 'CONNECTING' ? 'STALE' : this.#state,
      lastAckTime: this.#lastAckTime?.toISOString() ?? null,
      lastError: this.#lastError,
      connectedAt: this.connectedAt.toISOString(),
      disconnectedAt: this.#disconnectedAt?.toISOString() ?? null,
      proxyVersion: this.proxyVersion,
      pushes: this.#pushes,
      ...(id.adminAddress ? { adminAddress: id.adminAddress } : {}),
    };
  }

  #flush(): void {
    if (this.#state === 'DISCONNECTED' || this.#inFlight || this.#awaitingDrain) return;
    const next = this.#queue.pop();
    // Older queued configs are superseded by the newest.
    for (let i = 0; i < this.#queue.length; i++) this.options.onDrop();
    this.#queue = [];
    if (!next || next.hash === this.#sentHash) return;
    const nonce = newNonce();
    const version = next.config.version;
    const timer = setTimeout(() => {
      if (this.#inFlight?.nonce !== nonce) return;
      this.options.logger('warn', 'no ACK or NACK in time; sending what is queued', {
        proxy: this.id,
        nonce,
        version,
      });
      this.#inFlight = undefined;
      this.#flush();
    }, this.options.ackTimeoutMs);
    timer.unref();
    this.#inFlight = { nonce, version, hash: next.hash, timer };
    this.#sentHash = next.hash;
    this.#sentVersion = version;
    this.#pushes += 1;
    this.options.onPush();
    this.#transition('STALE', { version, nonce });
    const ok = this.call.write({ version_info: version, nonce, config_json: JSON.stringify(next.config) });
    if (!ok) this.#awaitingDrain = true;
  }

  #transition(to: ConnectionState, fields: Record<string, string | undefined> = {}): void {
    const from = this.#state;
    if (!TRANSITIONS[from].includes(to)) {
      this.options.logger('error', `illegal sync state transition ${from} -> ${to}`, { proxy: this.id });
      return;
    }
    this.#state = to;
    if (from === to) return;
    // Routine pushes (SYNCED -> STALE -> SYNCED) would flood the log under churn.
    const routine = (from === 'SYNCED' && to === 'STALE') || (from === 'STALE' && to === 'SYNCED');
    this.options.logger(routine ? 'debug' : 'info', `${from} -> ${to}`, { proxy: this.id, ...fields });
  }
}
