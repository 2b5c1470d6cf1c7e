/**
 * One downstream request/response pair, whatever the protocol it arrived on. The request path
 * reads the request fields and writes the response through this interface only, so every layer
 * works the same for HTTP/1.1 and HTTP/2 (h2c, gRPC).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { CompiledHeaderOps } from './headers';
import { downstreamHeadersH1, downstreamHeadersH2, flattenH2Headers } from './headers';

export type Protocol = 'h1' | 'h2';

/** Something that produces body chunks and can be paused while the downstream drains. */
export interface Pausable {
  resumeFromDrain(): void;
}

export interface Exchange {
  readonly protocol: Protocol;
  readonly method: string;
  /** Path with query, as received (origin-form). */
  readonly path: string;
  /** host[:port], lowercased, as the client addressed it (absolute-form URL, :authority or Host). */
  readonly authority: string;
  /** Flat [name, value, ...] request headers, pseudo-headers excluded. */
  readonly rawHeaders: readonly string[];
  /** The buffered request body (null when empty). */
  body: Buffer | null;
  /** Peer address of the downstream connection. */
  readonly remoteAddress: string;
  /** True once the client went away or the response finished; writes are then dropped. */
  readonly closed: boolean;
  /** Write the response head; `noBody` ends the stream with the head (HEAD, 204, gRPC trailers-only). */
  head(
    status: number,
    headers: Record<string, string | string[] | number | undefined>,
    a: CompiledHeaderOps,
    b: CompiledHeaderOps,
    noBody: boolean,
    expectTrailers: boolean,
  ): void;
  /** false: the downstream is full; `src.resumeFromDrain()` is called once it drains. */
  write(chunk: Buffer, src: Pausable): boolean;
  end(trailers: Record<string, string | string[]> | null): void;
  /** Abort the response mid-stream (the upstream broke after the head was sent). */
  destroy(): void;
  /** A complete plain-text response from the proxy itself. */
  reply(status: number, body: string, extra: readonly string[] | null): void;
  /** Whether the response head has been written already. */
  readonly headSent: boolean;
}

const kSrc = Symbol('drainSource');
interface Drainable {
  [kSrc]?: Pausable | null;
}

function onDrain(this: Drainable): void {
  const s = this[kSrc];
  this[kSrc] = null;
  s?.resumeFromDrain();
}

export class H1Exchange implements Exchange {
  readonly protocol = 'h1' as const;
  readonly method: string;
  readonly path: string;
  readonly authority: string;
  readonly rawHeaders: readonly string[];
  body: Buffer | null = null;
  readonly remoteAddress: string;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    path: string,
    authority: string,
  ) {
    this.method = req.method ?? 'GET';
    this.path = path;
    this.authority = authority;
    this.rawHeaders = req.rawHeaders;
    this.remoteAddress = req.socket.remoteAddress ?? '';
  }

  get closed(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }

  get headSent(): boolean {
    return this.res.headersSent;
  }

  head(
    status: number,
    headers: Record<string, string | string[] | number | undefined>,
    a: CompiledHeaderOps,
    b: CompiledHeaderOps,
    noBody: boolean,
  ): void {
    if (this.closed) return;
    this.res.writeHead(status, downstreamHeadersH1(headers, a, b));
    if (noBody) this.res.end();
  }

  write(chunk: Buffer, src: Pausable): boolean {
    if (this.closed) return true;
    if (this.res.write(chunk)) return true;
    const r = this.res as unknown as Drainable;
    r[kSrc] = src;
    this.res.once('drain', onDrain);
    return false;
  }

  end(): void {
    if (!this.closed) this.res.end();
  }

  destroy(): void {
    this.res.destroy();
  }

  reply(status: number, body: string, extra: readonly string[] | null): void {
    if (this.closed) return;
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    const h = [
      'content-type',
      'text/plain; charset=utf-8',
      'content-length',
      String(Buffer.byteLength(body)),
    ];
    if (extra) for (const x of extra) h.push(x);
    this.res.writeHead(status, h);
    this.res.end(this.method === 'HEAD' ? undefined : body);
  }
}

export class H2Exchange implements Exchange {
  readonly protocol = 'h2' as const;
  readonly method: string;
  readonly path: string;
  readonly authority: string;
  readonly rawHeaders: readonly string[];
  body: Buffer | null = null;
  readonly remoteAddress: string;
  private wantTrailers: Record<string, string | string[]> | null = null;

  constructor(
    readonly stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
  ) {
    this.method = (headers[':method'] as string | undefined) ?? 'GET';
    this.path = (headers[':path'] as string | undefined) ?? '/';
    this.authority = ((headers[':authority'] as string | undefined) ?? headers.host ?? '').toLowerCase();
    this.rawHeaders = flattenH2Headers(headers);
    this.remoteAddress = stream.session?.socket?.remoteAddress ?? '';
  }

  get closed(): boolean {
    return this.stream.destroyed || this.stream.closed;
  }

  get headSent(): boolean {
    return this.stream.headersSent;
  }

  head(
    status: number,
    headers: Record<string, string | string[] | number | undefined>,
    a: CompiledHeaderOps,
    b: CompiledHeaderOps,
    noBody: boolean,
    expectTrailers: boolean,
  ): void {
    if (this.closed) return;
    const h = downstreamHeadersH2(status, headers, a, b);
    if (noBody) this.stream.respond(h, { endStream: true });
    else if (expectTrailers) {
      this.stream.respond(h, { waitForTrailers: true });
      this.stream.once('wantTrailers', sendTrailers);
    } else this.stream.respond(h);
  }

  write(chunk: Buffer, src: Pausable): boolean {
    if (this.closed) return true;
    if (this.stream.write(chunk)) return true;
    const s = this.stream as unknown as Drainable;
    s[kSrc] = src;
    this.stream.once('drain', onDrain);
    return false;
  }

  end(trailers: Record<string, string | string[]> | null): void {
    if (this.closed) return;
    (this.stream as unknown as TrailerCarrier)[kTrailers] = trailers;
    this.wantTrailers = trailers;
    this.stream.end();
  }

  destroy(): void {
    // RST_STREAM INTERNAL_ERROR (2): the peer sees a reset, as Envoy does on an upstream reset mid-body.
    if (!this.closed) this.stream.close(2);
  }

  reply(status: number, body: string, extra: readonly string[] | null): void {
    if (this.closed) return;
    if (this.stream.headersSent) {
      this.destroy();
      return;
    }
    const h: Record<string, string | number> = {
      ':status': status,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    };
    if (extra) for (let i = 0; i < extra.length; i += 2) h[extra[i]!] = extra[i + 1]!;
    this.stream.respond(h);
    this.stream.end(body);
  }

  /** For tests and debugging: trailers queued by end(). */
  get pendingTrailers(): Record<string, string | string[]> | null {
    return this.wantTrailers;
  }
}

const kTrailers = Symbol('trailers');
interface TrailerCarrier {
  [kTrailers]?: Record<string, string | string[]> | null;
}

function sendTrailers(this: ServerHttp2Stream): void {
  const t = (this as unknown as TrailerCarrier)[kTrailers];
  if (this.destroyed) return;
  // A stream opened with waitForTrailers stays half-open until trailers are sent (node docs).
  this.sendTrailers(t ?? {});
}
