/**
 * HTTP/2 upstream, h2c (prior knowledge) or h2 over mesh mTLS (ALPN h2): one multiplexed session
 * per endpoint, for gRPC and HTTP/2 clusters. Listener functions are module-level and find their response through
 * a symbol on the stream, so a request allocates no closures.
 */

import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import http2 from 'node:http2';
import type { Duplex } from 'node:stream';
import { classify } from './h1';
import type { FailureCause, UpstreamResponse, UpstreamSource } from './outcome';

const kRes = Symbol('upstreamResponse');
type Tagged = ClientHttp2Stream & { [kRes]?: UpstreamResponse };

const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM } = http2.constants;

class StreamSource implements UpstreamSource {
  constructor(private readonly stream: ClientHttp2Stream) {}
  pause(): void {
    this.stream.pause();
  }
  resume(): void {
    this.stream.resume();
  }
  cancel(): void {
    if (!this.stream.destroyed) this.stream.close(NGHTTP2_CANCEL);
  }
}

function onResponse(this: Tagged, headers: IncomingHttpHeaders, flags: number): void {
  const res = this[kRes]!;
  const status = Number(headers[':status'] ?? 502);
  // END_STREAM on the head (flag 0x1): a trailers-only response (gRPC errors look like this).
  res.onHead(status, headers as Record<string, string | string[] | undefined>);
  if (flags & 0x1) res.ended = true;
}

function onData(this: Tagged, chunk: Buffer): void {
  this[kRes]!.onData(chunk);
}

function onTrailers(this: Tagged, trailers: IncomingHttpHeaders): void {
  const t: Record<string, string | string[]> = {};
  for (const k in trailers) {
    const v = trailers[k];
    if (v !== undefined && k.charCodeAt(0) !== 58) t[k] = v;
  }
  this[kRes]!.trailers = t;
}

function onEnd(this: Tagged): void {
  const res = this[kRes]!;
  res.onEnd(res.trailers);
}

function onError(this: Tagged, err: Error): void {
  this[kRes]!.onError(err, failureCause(this));
}

function onClose(this: Tagged): void {
  const res = this[kRes]!;
  // Closed without 'error': a reset by the peer (RST_STREAM with NO_ERROR/CANCEL), or the session
  // went away. A stream with no response head may still have seen 'end' (the session's socket
  // ended), so "ended" alone does not mean it was answered.
  if (!res.done && (!res.ended || res.status === 0))
    res.onError(new Error(`stream reset (code ${this.rstCode})`), failureCause(this));
}

function failureCause(stream: Tagged): FailureCause {
  if (stream.rstCode === NGHTTP2_REFUSED_STREAM) return 'refused-stream';
  return (stream.session as ClientHttp2Session & { [kConnected]?: boolean })?.[kConnected]
    ? 'reset'
    : 'connect-failure';
}

// A session counts as connected once the peer's SETTINGS arrive, not at 'connect': over TLS 1.3
// the client's handshake completes before the server has judged its certificate, and a sidecar
// that refuses it closes the connection without a frame. That is a connect failure (retried).
const kConnected = Symbol('connected');

function onSessionConnect(this: ClientHttp2Session & { [kConnected]?: boolean }): void {
  this[kConnected] = true;
}

function onSessionError(): void {
  // Streams carry the error to their responses; the session just goes away.
}

export class H2Transport {
  private session: ClientHttp2Session | null = null;
  private streamsOnSession = 0;
  closed = false;

  /** Sessions run over mTLS (createConnection opens them). */
  readonly secure: boolean;

  constructor(
    private readonly origin: string,
    private readonly maxRequestsPerConnection: number,
    /** mTLS: opens the TLS connection for a new session (upstream/tls.ts); h2c without one. */
    private readonly createConnection?: () => Duplex,
  ) {
    this.secure = createConnection !== undefined;
  }

  private current(): ClientHttp2Session {
    let s = this.session;
    if (s === null || s.closed || s.destroyed) {
      s = this.createConnection
        ? http2.connect(this.origin, { createConnection: this.createConnection })
        : http2.connect(this.origin);
      s.once('remoteSettings', onSessionConnect);
      s.on('error', onSessionError);
      s.on('close', () => {
        if (this.session === s) this.session = null;
      });
      // Idle sessions must not keep the process alive (clean shutdown of the sidecar).
      s.unref();
      this.session = s;
      this.streamsOnSession = 0;
    }
    return s;
  }

  dispatch(headers: Record<string, string | string[]>, body: Buffer | null, res: UpstreamResponse): void {
    if (this.closed) {
      res.onError(new Error('connection pool closed'), 'connect-failure');
      return;
    }
    let stream: Tagged;
    try {
      const session = this.current();
      stream = session.request(headers, { endStream: body === null }) as Tagged;
      if (this.maxRequestsPerConnection > 0 && ++this.streamsOnSession >= this.maxRequestsPerConnection) {
        // Drain: the session finishes its streams and a fresh one serves the next request.
        this.session = null;
        session.close();
      }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      res.onError(e, classify(e));
      return;
    }
    stream[kRes] = res;
    res.source = new StreamSource(stream);
    stream.on('response', onResponse);
    stream.on('data', onData);
    stream.on('trailers', onTrailers);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    if (body !== null) stream.end(body);
  }

  close(): Promise<void> {
    this.closed = true;
    const s = this.session;
    this.session = null;
    if (s === null || s.closed) return Promise.resolve();
    return new Promise((resolve) => s.close(() => resolve()));
  }

  destroy(): Promise<void> {
    this.closed = true;
    this.session?.destroy();
    this.session = null;
    return Promise.resolve();
  }
}
