/**
 * The injection point for transport security on the inbound side. A listener hands every raw
 * TCP connection to a TransportSecurity, which returns the stream HTTP should be spoken on (the
 * socket itself for plaintext, a TLSSocket after an mTLS handshake) and the verified peer, or
 * null to refuse the connection. Today only plaintext exists; mTLS with PERMISSIVE sniffing (a
 * TLS ClientHello starts with 0x16) plugs in here without touching the request path.
 */
import type net from 'node:net';
import type { Duplex } from 'node:stream';

export interface AcceptedConnection {
  /** What HTTP is spoken on: the socket, or the decrypted TLS stream. */
  stream: net.Socket | Duplex;
  /** SPIFFE id from a verified client certificate; null for plaintext. */
  peerPrincipal: string | null;
}

export interface TransportSecurity {
  accept(socket: net.Socket): Promise<AcceptedConnection | null>;
}

export const plaintext: TransportSecurity = {
  accept(socket) {
    return Promise.resolve({ stream: socket, peerPrincipal: null });
  },
};

const kPeer = Symbol.for('trellis.peerPrincipal');

type WithPeer = { [kPeer]?: string | null };

export function setPeerPrincipal(stream: object, principal: string | null): void {
  (stream as WithPeer)[kPeer] = principal;
}

/** The verified peer of the connection a request arrived on; null when plaintext. */
export function peerPrincipal(stream: object | null | undefined): string | null {
  return stream ? ((stream as WithPeer)[kPeer] ?? null) : null;
}
