import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { type InboundTls, sniffFirstByte, upgradeInbound } from './inbound';

/**
 * The shape of the inbound listener's TransportSecurity (apps/proxy/src/listeners/transport.ts),
 * restated so this module does not depend on the listener; TypeScript matches them by structure.
 */
export interface AcceptedConnection {
  stream: net.Socket | Duplex;
  /** SPIFFE id of the verified client; null for plaintext. */
  peerPrincipal: string | null;
}

export interface MeshTransportSecurity {
  accept(socket: net.Socket): Promise<AcceptedConnection | null>;
}

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface TransportEvents {
  /** Why a connection was refused, for access logs and metrics. */
  onRefused?: (reason: string, detail: string) => void;
  /** A connection was let in, as mTLS or plaintext. */
  onAccepted?: (kind: 'mtls' | 'plaintext') => void;
}

/**
 * PeerAuthentication on one port: STRICT takes only mTLS, PERMISSIVE takes mTLS or plaintext
 * (decided on the first byte), DISABLE takes plaintext and refuses TLS it could not terminate.
 *
 * The mode is read for every new connection, so a config push changes it without restarting the
 * listener; `enforce()` (called after each push) closes the established plaintext connections a
 * switch to STRICT no longer allows, as Envoy drains connections of a removed filter chain, so an
 * unmeshed client is cut off at once rather than when it next reconnects. mTLS connections are
 * left alone on a switch to DISABLE: they are no less safe, and meshed clients move to plaintext
 * with their next connection.
 */
export class MeshInboundSecurity implements MeshTransportSecurity {
  readonly #mode: () => MtlsMode;
  readonly #inbound: () => InboundTls | null;
  readonly #events: TransportEvents;
  /** Established plaintext connections (the raw sockets). */
  readonly #plaintext = new Set<net.Socket>();

  constructor(
    mode: () => MtlsMode,
    inbound: InboundTls | (() => InboundTls | null),
    events: TransportEvents = {},
  ) {
    this.#mode = mode;
    this.#inbound = typeof inbound === 'function' ? inbound : () => inbound;
    this.#events = events;
  }

  async accept(socket: net.Socket): Promise<AcceptedConnection | null> {
    const sniff = await sniffFirstByte(socket);
    if (!sniff.ok) {
      socket.destroy();
      return null;
    }
    const m = this.#mode();
    if (sniff.kind === 'plaintext') {
      if (m === 'STRICT') return this.#refuse(socket, 'plaintext-in-strict', 'STRICT mTLS refuses plaintext');
      this.#plaintext.add(socket);
      socket.once('close', () => this.#plaintext.delete(socket));
      this.#events.onAccepted?.('plaintext');
      return { stream: socket, peerPrincipal: null };
    }
    if (m === 'DISABLE') return this.#refuse(socket, 'tls-when-disabled', 'mTLS is DISABLEd on this port');
    const inbound = this.#inbound();
    if (inbound === null)
      return this.#refuse(socket, 'no-certificate', 'this sidecar has no mesh certificate yet');
    const r = await upgradeInbound(socket, inbound);
    if (!r.ok) {
      this.#events.onRefused?.(r.reason, r.detail);
      return null;
    }
    this.#events.onAccepted?.('mtls');
    return { stream: r.socket, peerPrincipal: r.peer.spiffeId };
  }

  /** Closes plaintext connections the current mode refuses; returns how many. */
  enforce(): number {
    if (this.#mode() !== 'STRICT' || this.#plaintext.size === 0) return 0;
    const n = this.#plaintext.size;
    for (const s of this.#plaintext) s.destroy();
    this.#plaintext.clear();
    this.#events.onRefused?.('plaintext-in-strict', `STRICT mTLS: closed ${n} plaintext connection(s)`);
    return n;
  }

  #refuse(socket: net.Socket, reason: string, detail: string): null {
    this.#events.onRefused?.(reason, detail);
    socket.destroy();
    return null;
  }
}

export function meshTransportSecurity(
  mode: () => MtlsMode,
  inbound: InboundTls | (() => InboundTls | null),
  events: TransportEvents = {},
): MeshInboundSecurity {
  return new MeshInboundSecurity(mode, inbound, events);
}
