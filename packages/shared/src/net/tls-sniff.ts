/**
 * First-byte protocol detection, shared by the control plane's gRPC port (plaintext bootstrap and
 * TLS on one port) and the sidecar's inbound listener (PERMISSIVE mTLS). Pure: the socket is typed
 * by the few members used, so this module imports nothing from node.
 */

// RFC 8446 §5.1: every TLS connection opens with a handshake record, content type 22.
export const TLS_HANDSHAKE_RECORD = 0x16;

export type FirstByteClass = 'tls' | 'plaintext';

/** As Istio's TLS inspector decides: a ClientHello starts with 0x16, anything else is plaintext. */
export function classifyFirstByte(byte: number): FirstByteClass {
  return byte === TLS_HANDSHAKE_RECORD ? 'tls' : 'plaintext';
}

export type SniffResult = { ok: true; kind: FirstByteClass } | { ok: false; reason: 'closed' | 'timeout' };

/** The parts of a net.Socket that sniffing touches. */
export interface SniffableStream {
  read(): unknown;
  unshift(chunk: Uint8Array): void;
  on(event: 'readable', fn: () => void): unknown;
  off(event: 'readable' | 'close', fn: () => void): unknown;
  once(event: 'close', fn: () => void): unknown;
}

/**
 * Waits for the first bytes of a connection, classifies them and puts them back, so whoever
 * takes the socket next (TLS or HTTP) reads the stream from the start.
 *
 * `readable` + `read()` + `unshift()`, not `data` + `pause()`: an explicitly paused socket stays
 * paused when node:http, node:tls or grpc-js take it over, and the connection would hang.
 */
export function sniffFirstByte(socket: SniffableStream, timeoutMs = 10_000): Promise<SniffResult> {
  return new Promise((resolve) => {
    const done = (r: SniffResult) => {
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('close', onClose);
      resolve(r);
    };
    const onReadable = () => {
      const chunk = socket.read() as Uint8Array | null;
      if (chunk === null || chunk.length === 0) return;
      socket.unshift(chunk);
      done({ ok: true, kind: classifyFirstByte(chunk[0]!) });
    };
    const onClose = () => done({ ok: false, reason: 'closed' });
    const timer = setTimeout(() => done({ ok: false, reason: 'timeout' }), timeoutMs);
    socket.on('readable', onReadable);
    socket.once('close', onClose);
  });
}
