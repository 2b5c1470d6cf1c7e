/**
 * One TCP port that speaks HTTP/1.1 and h2c (prior knowledge): the first bytes of a connection
 * decide (the HTTP/2 client preface starts "PRI * HTTP/2.0"). Connections pass through a
 * TransportSecurity first. Tracks connections and requests so close() can drain.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { setPeerPrincipal, type TransportSecurity } from './transport';

export interface HttpHandlers {
  h1(req: http.IncomingMessage, res: http.ServerResponse): void;
  h2(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void;
}

export interface DualServer {
  readonly port: number;
  readonly address: string;
  /** Requests being answered now. */
  readonly inflight: number;
  /** Stop accepting, let requests in flight finish (up to drainMs), then drop the rest. */
  close(drainMs?: number): Promise<void>;
}

const BAD_REQUEST =
  'HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: 24\r\n\r\nmalformed HTTP request\r\n';

export async function serveHttp(
  host: string,
  port: number,
  handlers: HttpHandlers,
  security: TransportSecurity,
  onError: (err: Error) => void,
): Promise<DualServer> {
  let inflight = 0;
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();

  const h1 = http.createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    inflight++;
    res.once('close', () => inflight--);
    handlers.h1(req, res);
  });
  // Malformed HTTP: answer 400 and close, as Envoy does; never let a bad client hurt others.
  h1.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (err.code !== 'ECONNRESET' && socket.writable) socket.end(BAD_REQUEST);
    else socket.destroy();
  });

  const h2 = http2.createServer({ settings: { enableConnectProtocol: false } });
  h2.on('session', (s) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
    s.on('error', () => undefined);
  });
  h2.on('stream', (stream, headers) => {
    inflight++;
    stream.once('close', () => inflight--);
    stream.on('error', () => undefined);
    handlers.h2(stream, headers);
  });
  h2.on('sessionError', () => undefined);

  const tcp = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    security.accept(socket).then(
      (acc) => {
        if (acc === null) {
          socket.destroy();
          return;
        }
        setPeerPrincipal(acc.stream, acc.peerPrincipal);
        sniff(acc.stream, h1, h2);
      },
      (err: Error) => {
        onError(err);
        socket.destroy();
      },
    );
  });
  tcp.on('error', onError);
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  const addr = tcp.address() as net.AddressInfo;

  return {
    port: addr.port,
    address: addr.address,
    get inflight() {
      return inflight;
    },
    async close(drainMs = 5_000) {
      await new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        h1.closeIdleConnections();
        for (const s of sessions) s.close();
        // Keep-alive sockets with no request in flight close now; busy ones after their response.
        h1.on('request', (_req, res) => res.setHeader('connection', 'close'));
        const deadline = Date.now() + drainMs;
        const tick = () => {
          h1.closeIdleConnections();
          if (inflight === 0 || Date.now() >= deadline) {
            for (const s of sockets) s.destroy();
            for (const s of sessions) s.destroy();
            return;
          }
          setTimeout(tick, 20).unref();
        };
        tick();
      });
    },
  };
}

const PREFACE = Buffer.from('PRI * HTTP/2.0');

function sniff(stream: Duplex, h1: http.Server, h2: http2.Http2Server): void {
  let acc: Buffer | null = null;
  const onReadable = () => {
    for (;;) {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) break;
      acc = acc === null ? chunk : Buffer.concat([acc, chunk]);
    }
    if (acc === null) return;
    const n = Math.min(acc.length, PREFACE.length);
    const h2ish = acc.subarray(0, n).equals(PREFACE.subarray(0, n));
    // A client may send the preface in pieces: wait until the bytes can tell.
    if (h2ish && n < PREFACE.length) return;
    stream.off('readable', onReadable);
    stream.unshift(acc);
    acc = null;
    if (h2ish) h2.emit('connection', stream);
    else h1.emit('connection', stream);
  };
  stream.on('readable', onReadable);
}
