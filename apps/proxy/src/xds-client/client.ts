import * as grpc from '@grpc/grpc-js';
import { CONTROL_PLANE_CHANNEL_OPTIONS } from '../tls/grpc-credentials';
import { Backoff, type BackoffOptions } from './backoff';
import {
  type ConfigDiscoveryClient,
  type ConfigStreamCall,
  configDiscoveryClient,
  type WireDiscoveryRequest,
  type WireDiscoveryResponse,
  type WireNode,
} from './wire';

/** Who this proxy is, sent as the Node on every new stream. */
export interface XdsNode {
  id: string;
  workload: string;
  namespace: string;
  serviceAccount: string;
  labels: Record<string, string>;
  services: { name: string; port: number }[];
  /** host:port where peers reach this sidecar's inbound listener. */
  inboundAddress: string;
  appPort?: number;
  metricsAddress?: string;
  adminAddress?: string;
  proxyVersion?: string;
}

export type ApplyResult = { ok: true } | { ok: false; error: string };

export type XdsClientLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type XdsClientLogger = (
  level: XdsClientLogLevel,
  message: string,
  fields?: Record<string, string | number | boolean | undefined>,
) => void;

export interface XdsClientOptions {
  /** The control plane's gRPC address, host:port. */
  target: string;
  node: XdsNode;
  /**
   * Applies one pushed config (the parsed config_json). Return ok to ACK it; an error NACKs it
   * and the proxy is expected to keep serving the previous config.
   */
  onConfig(config: unknown, version: string): ApplyResult | Promise<ApplyResult>;
  logger?: XdsClientLogger;
  /** Default insecure; mTLS to the control plane comes with the proxy's certificate. */
  credentials?: grpc.ChannelCredentials;
  /**
   * The bootstrap credential (the join token) sent as "authorization: Bearer <token>" on each new
   * stream, asked afresh every time. A control plane with a CA refuses plaintext streams without
   * it; over mTLS the certificate is the credential, so leave it out there.
   */
  token?: () => string | undefined;
  channelOptions?: grpc.ChannelOptions;
  backoff?: BackoffOptions;
  /** Called after every state change (for the admin page, logs). */
  onStateChange?(state: XdsClientState): void;
}

export type XdsConnectionState = 'IDLE' | 'CONNECTING' | 'CONNECTED' | 'BACKOFF' | 'CLOSED';

export interface XdsClientState {
  connection: XdsConnectionState;
  target: string;
  /** Version of the config in use (the last one applied); "" before the first. */
  version: string;
  /** RFC 3339 time the config in use was applied; null before the first. */
  appliedAt: string | null;
  /** The last rejected config, if the last response was rejected. */
  lastNack: { version: string; error: string; at: string } | null;
  /** The last stream failure (control plane gone, refused...). */
  lastStreamError: string | null;
  /** Its gRPC status code (16 UNAUTHENTICATED: the control plane wants the join token). */
  lastStreamCode: grpc.status | null;
  connectedAt: string | null;
  /** Streams opened after the first. */
  reconnects: number;
  acks: number;
  nacks: number;
  /** Delay (ms) before the next attempt while in BACKOFF. */
  retryInMs: number | null;
}

// The xDS convention for a config the client cannot use (google.rpc.Code INVALID_ARGUMENT).
const INVALID_ARGUMENT = 3;

function wireNode(node: XdsNode): WireNode {
  return {
    id: node.id,
    workload: node.workload,
    namespace: node.namespace,
    service_account: node.serviceAccount,
    labels: node.labels,
    services: node.services,
    inbound_address: node.inboundAddress,
    proxy_version: node.proxyVersion ?? '',
    app_port: node.appPort ?? 0,
    metrics_address: node.metricsAddress ?? '',
    admin_address: node.adminAddress ?? '',
  };
}

/**
 * The proxy's ConfigDiscovery stream: sends the Node, hands each pushed config to onConfig and
 * ACKs or NACKs it (xDS state-of-the-world), and reconnects with jittered exponential backoff
 * whenever the stream ends. The last good config is never withdrawn here: static stability.
 */
export class XdsClient {
  readonly #client: ConfigDiscoveryClient;
  readonly #backoff: Backoff;
  readonly #log: XdsClientLogger;
  #call?: ConfigStreamCall;
  #timer?: NodeJS.Timeout;
  #streams = 0;
  #state: XdsClientState;
  /** Responses are applied one at a time, in order. */
  #chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: XdsClientOptions) {
    this.#log = options.logger ?? (() => {});
    this.#backoff = new Backoff(options.backoff);
    this.#client = configDiscoveryClient(
      options.target,
      options.credentials ?? grpc.credentials.createInsecure(),
      {
        // Notice a control plane that vanished without closing the connection.
        'grpc.keepalive_time_ms': 20_000,
        'grpc.keepalive_timeout_ms': 10_000,
        // Reconnect promptly when our own backoff says so; ours is the one that paces attempts.
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': options.backoff?.maxMs ?? 5000,
        ...CONTROL_PLANE_CHANNEL_OPTIONS,
        ...options.channelOptions,
      },
    );
    this.#state = {
      connection: 'IDLE',
      target: options.target,
      version: '',
      appliedAt: null,
      lastNack: null,
      lastStreamError: null,
      lastStreamCode: null,
      connectedAt: null,
      reconnects: 0,
      acks: 0,
      nacks: 0,
      retryInMs: null,
    };
  }

  state(): XdsClientState {
    return { ...this.#state, lastNack: this.#state.lastNack ? { ...this.#state.lastNack } : null };
  }

  start(): void {
    if (this.#state.connection !== 'IDLE') return;
    this.#open();
  }

  close(): void {
    if (this.#state.connection === 'CLOSED') return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#update({ connection: 'CLOSED', retryInMs: null });
    const call = this.#call;
    this.#call = undefined;
    call?.cancel();
    this.#client.close();
  }

  #update(patch: Partial<XdsClientState>): void {
    const before = this.#state.connection;
    this.#state = { ...this.#state, ...patch };
    if (patch.connection && patch.connection !== before)
      this.#log('info', `${before} -> ${patch.connection}`, { target: this.options.target });
    this.options.onStateChange?.(this.state());
  }

  #open(): void {
    if (this.#state.connection === 'CLOSED') return;
    this.#streams += 1;
    this.#update({
      connection: 'CONNECTING',
      retryInMs: null,
      ...(this.#streams > 1 ? { reconnects: this.#state.reconnects + 1 } : {}),
    });
    const sentToken = this.#metadata();
    const call = this.#client.Stream(sentToken.metadata);
    this.#call = call;
    let ended = false;
    const end = (why: string, code: grpc.status | null) => {
      if (ended) return;
      ended = true;
      if (this.#call === call) this.#call = undefined;
      this.#retry(why, code, sentToken.sent);
    };
    call.on('data', (res: WireDiscoveryResponse) => {
      if (this.#call !== call) return;
      if (this.#state.connection !== 'CONNECTED') {
        this.#backoff.reset();
        this.#update({
          connection: 'CONNECTED',
          connectedAt: new Date().toISOString(),
          lastStreamError: null,
          lastStreamCode: null,
        });
      }
      this.#chain = this.#chain.then(() => this.#apply(call, res));
    });
    call.on('error', (err: grpc.ServiceError) => end(err.details || err.message, err.code ?? null));
    call.on('end', () => end('control plane ended the stream', null));
    call.on('status', (s: grpc.StatusObject) => {
      if (s.code !== grpc.status.OK) end(s.details || `status ${s.code}`, s.code);
    });
    this.#send(call, {
      node: wireNode(this.options.node),
      version_info: this.#state.version,
      response_nonce: '',
    });
  }

  /** The call's metadata: the bearer token when there is one (read per stream, never logged). */
  #metadata(): { metadata: grpc.Metadata; sent: boolean } {
    const metadata = new grpc.Metadata();
    let token: string | undefined;
    try {
      token = this.options.token?.();
    } catch (err) {
      // An unreadable token file: open the stream anyway; the refusal names the cause.
      this.#log('error', 'cannot read the join token for the config stream', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return { metadata, sent: Boolean(token) };
  }

  #send(call: ConfigStreamCall, req: WireDiscoveryRequest): void {
    if (this.#call !== call) return;
    try {
      call.write(req);
    } catch (err) {
      this.#log('warn', 'write on config stream failed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  async #apply(call: ConfigStreamCall, res: WireDiscoveryResponse): Promise<void> {
    let result: ApplyResult;
    try {
      const config: unknown = JSON.parse(res.config_json);
      result = await this.options.onConfig(config, res.version_info);
    } catch (err) {
      result = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    if (result.ok) {
      this.#update({
        version: res.version_info,
        appliedAt: new Date().toISOString(),
        lastNack: null,
        acks: this.#state.acks + 1,
      });
      this.#send(call, { version_info: res.version_info, response_nonce: res.nonce });
      return;
    }
    this.#log('warn', 'rejected config (NACK); keeping the previous one', {
      version: res.version_info,
      keeping: this.#state.version,
      error: result.error,
    });
    this.#update({
      lastNack: { version: res.version_info, error: result.error, at: new Date().toISOString() },
      nacks: this.#state.nacks + 1,
    });
    this.#send(call, {
      version_info: this.#state.version,
      response_nonce: res.nonce,
      error_detail: { code: INVALID_ARGUMENT, message: result.error },
    });
  }

  #retry(why: string, code: grpc.status | null, sentToken: boolean): void {
    if (this.#state.connection === 'CLOSED') return;
    const delay = this.#backoff.next();
    const fields = { why, retryInMs: delay, keepingVersion: this.#state.version };
    // A refusal that no retry will cure by itself: say what the operator must do.
    if (code === grpc.status.UNAUTHENTICATED)
      this.#log(
        'error',
        sentToken
          ? 'the control plane refused the join token on the config stream: is --join-token-file this control plane’s DATA_DIR/join-token? reconnecting'
          : 'the control plane requires the join token: pass --join-token-file DATA_DIR/join-token; reconnecting',
        fields,
      );
    else this.#log('warn', 'config stream ended; reconnecting', fields);
    this.#update({ connection: 'BACKOFF', lastStreamError: why, lastStreamCode: code, retryInMs: delay });
    this.#timer = setTimeout(() => this.#open(), delay);
    this.#timer.unref?.();
  }
}
