/**
 * HTTP/1.1 upstream over an undici Pool (keep-alive, one request per connection at a time).
 * The UpstreamResponse is undici's dispatch handler directly: no Readable, no per-chunk promise.
 */

import type { buildConnector, Dispatcher } from 'undici';
import { Pool } from 'undici';
import type { FailureCause, UpstreamResponse, UpstreamSource } from './outcome';
import { refusedAfterHandshake } from './refused';

export interface PoolLimits {
  /** undici `connections`; null is unlimited. */
  connections: number | null;
  /** Envoy max_requests_per_connection; 0 is unlimited. */
  maxRequestsPerConnection: number;
}

export function classify(err: Error & { code?: string }): FailureCause {
  switch (err.code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
    // mTLS: the peer is not who the endpoint's config names, or its certificate does not verify.
    case 'ERR_TRELLIS_PEER_IDENTITY':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_TRELLIS_NO_CERTIFICATE':
    case 'ERR_TRELLIS_MTLS_HANDSHAKE':
      return 'connect-failure';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'timeout';
    default:
      return 'reset';
  }
}

/** Adapts an UpstreamResponse to undici's handler protocol (v7 controller API). */
class Handler implements Dispatcher.DispatchHandler, UpstreamSource {
  private controller: Dispatcher.DispatchController | null = null;
  private cancelled = false;

  constructor(
    private readonly res: UpstreamResponse,
    private readonly mesh: boolean,
  ) {
    res.source = this;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.cancelled) controller.abort(new Error('cancelled'));
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx informational heads are not forwarded (undici consumes 100-continue itself).
    if (statusCode < 200) return;
    this.res.onHead(statusCode, headers);
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.res.onData(chunk);
  }

  onResponseEnd(_c: Dispatcher.DispatchController, _trailers: unknown): void {
    this.res.onEnd(null);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.cancelled) {
      this.res.onError(err, 'reset');
      return;
    }
    this.res.onError(err, this.mesh && refusedAfterHandshake(err) ? 'connect-failure' : classify(err));
  }

  pause(): void {
    this.controller?.pause();
  }

  resume(): void {
    this.controller?.resume();
  }

  cancel(): void {
    this.cancelled = true;
    this.controller?.abort(new Error('upstream request cancelled by the proxy'));
  }
}

export class H1Transport {
  private readonly pool: Pool;
  /** Connections are mTLS (the request is reported with connection_security_policy mutual_tls). */
  readonly secure: boolean;
  /** maxRequestsPerConnection 1: every request closes its connection (undici has no "1"). */
  private readonly closeEach: boolean;
  closed = false;

  /** `connect`: an mTLS connector (upstream/tls.ts); plaintext without one. */
  constructor(origin: string, limits: PoolLimits, connect?: buildConnector.connector) {
    const max = limits.maxRequestsPerConnection;
    this.secure = connect !== undefined;
    this.closeEach = max === 1;
    this.pool = new Pool(origin, {
      connections: limits.connections,
      // undici resets a socket once it has served more than this many (its counter starts at
      // 0 and the reset request is the one after): N - 1 gives Envoy's "at most N".
      maxRequestsPerClient: max > 1 ? max - 1 : undefined,
      pipelining: 1,
      // Envoy's default connect timeout is 10 s; a dead endpoint should fail sooner on one machine.
      connectTimeout: 5_000,
      // The route timeout (or none, as Istio defaults) governs; these are only a backstop.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 4_000,
      ...(connect ? { connect } : {}),
    });
  }

  dispatch(
    method: string,
    path: string,
    headers: string[],
    body: Buffer | null,
    res: UpstreamResponse,
  ): void {
    const h = new Handler(res, this.secure);
    if (this.closed) {
      res.onError(new Error('connection pool closed'), 'connect-failure');
      return;
    }
    try {
      this.pool.dispatch(
        { method: method as Dispatcher.HttpMethod, path, headers, body, reset: this.closeEach },
        h,
      );
    } catch (err) {
      res.onError(err instanceof Error ? err : new Error(String(err)), 'reset');
    }
  }

  /** Graceful: requests in flight finish, then sockets close. */
  close(): Promise<void> {
    this.closed = true;
    return this.pool.close().catch(() => undefined);
  }

  destroy(): Promise<void> {
    this.closed = true;
    return this.pool.destroy().catch(() => undefined);
  }
}
