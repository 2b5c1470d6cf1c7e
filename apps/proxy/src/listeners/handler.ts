/**
 * From a parsed HTTP request to a Call through a stack, for both listeners: builds the Exchange,
 * buffers the request body (so retries and mirrors can resend it), runs the stack with the
 * config current at arrival, writes the outcome. Never throws into node's HTTP machinery.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { RuntimeConfig } from '../config/compile';
import { Call } from '../http/call';
import { type Exchange, H1Exchange, H2Exchange } from '../http/exchange';
import { rawHeader } from '../http/headers';
import { type CompletionObserver, respond, watchClient } from '../http/respond';
import type { Service } from '../layers/types';
import type { Logger } from '../logger';
import { LocalReply } from '../upstream/outcome';
import { peerPrincipal } from './transport';

/** Request bodies are buffered for retries and mirroring; beyond this the proxy answers 413. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface HandlerOptions {
  service: Service;
  config: () => RuntimeConfig | null;
  observer: CompletionObserver;
  logger: Logger;
  /** Outbound accepts absolute-form targets (HTTP_PROXY); inbound only origin-form. */
  absoluteForm: boolean;
}

const kCall = Symbol('pendingCall');
const kSize = Symbol('bodySize');
type Body = { [kCall]?: Call; [kSize]?: number; chunks?: Buffer[] };

export class RequestHandler {
  constructor(private readonly o: HandlerOptions) {}

  readonly h1 = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    let authority: string;
    let path: string;
    if (req.method === 'CONNECT') {
      plain(
        res,
        501,
        'CONNECT tunnels are not supported by this proxy; send plain HTTP (absolute-form) requests\n',
      );
      return;
    }
    if (url.charCodeAt(0) === 47 /* '/' */) {
      authority = (rawHeader(req.rawHeaders, 'host') ?? '').toLowerCase();
      path = url;
    } else if (this.o.absoluteForm && url.startsWith('http://')) {
      const slash = url.indexOf('/', 7);
      authority = (slash < 0 ? url.slice(7) : url.slice(7, slash)).toLowerCase();
      path = slash < 0 ? '/' : url.slice(slash);
    } else {
      plain(res, 400, `unsupported request target "${url.slice(0, 100)}"\n`);
      return;
    }
    if (authority === '') {
      plain(res, 400, 'request has no Host header\n');
      return;
    }
    const cfg = this.o.config();
    if (cfg === null) {
      plain(res, 503, 'proxy has no configuration yet (waiting for the control plane)\n');
      return;
    }
    const call = new Call(cfg, new H1Exchange(req, res, path, authority));
    this.prepare(call, req.socket);
    watchClient(res, call);
    const cl = rawHeader(req.rawHeaders, 'content-length');
    const hasBody =
      cl !== undefined ? cl !== '0' : rawHeader(req.rawHeaders, 'transfer-encoding') !== undefined;
    if (hasBody) this.readBody(req, call);
    else void this.run(call);
  };

  readonly h2 = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void => {
    const cfg = this.o.config();
    if (cfg === null) {
      stream.respond({ ':status': 503, 'content-type': 'text/plain' });
      stream.end('proxy has no configuration yet (waiting for the control plane)\n');
      return;
    }
    const ex = new H2Exchange(stream, headers);
    if (ex.authority === '') {
      stream.respond({ ':status': 400, 'content-type': 'text/plain' });
      stream.end('request has no :authority\n');
      return;
    }
    const call = new Call(cfg, ex);
    this.prepare(call, stream.session?.socket ?? null);
    watchClient(stream, call);
    if (stream.endAfterHeaders) void this.run(call);
    else this.readBody(stream, call);
  };

  private prepare(call: Call, socket: object | null): void {
    const principal = peerPrincipal(socket);
    if (principal !== null) {
      call.mtls = true;
      call.source = {
        workload: 'unknown',
        namespace: 'unknown',
        version: 'unknown',
        app: 'unknown',
        principal,
      };
    }
  }

  private readBody(src: IncomingMessage | ServerHttp2Stream, call: Call): void {
    const b = src as unknown as Body;
    b[kCall] = call;
    b[kSize] = 0;
    b.chunks = [];
    src.on('data', onBodyData);
    src.once('end', () => {
      const chunks = b.chunks!;
      b.chunks = undefined;
      call.ex.body = chunks.length === 0 ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      void this.run(call);
    });
  }

  async run(call: Call): Promise<void> {
    let o: Awaited<ReturnType<Service>>;
    try {
      o = await this.o.service(call);
    } catch (err) {
      // A bug in a layer answers this request with 500; the proxy keeps serving everyone else.
      this.o.logger.error('request path failed', { error: err instanceof Error ? err.stack : String(err) });
      o = new LocalReply(500, null, 'internal proxy error\n');
    }
    try {
      respond(call, o, this.o.observer);
    } catch (err) {
      this.o.logger.error('writing the response failed', {
        error: err instanceof Error ? err.stack : String(err),
      });
      call.ex.destroy();
    }
  }
}

function onBodyData(this: Body & (IncomingMessage | ServerHttp2Stream), chunk: Buffer): void {
  const size = (this[kSize] ?? 0) + chunk.length;
  this[kSize] = size;
  if (size > MAX_BODY_BYTES) {
    const call = this[kCall]!;
    this.removeListener('data', onBodyData);
    this.removeAllListeners('end');
    this.chunks = undefined;
    tooLarge(call.ex);
    this.resume();
    return;
  }
  this.chunks?.push(chunk);
}

function tooLarge(ex: Exchange): void {
  ex.reply(413, `request body larger than ${MAX_BODY_BYTES} bytes\n`, null);
}

function plain(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
