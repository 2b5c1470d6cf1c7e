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
}

/**
 * PeerAuthentication on one port: STRICT takes only mTLS, PERMISSIVE takes mTLS or plaintext
 * (decided on the first byte), DISABLE takes plaintext and refuses TLS it could not terminate.
 */
export function meshTransportSecurity(
  mode: () => MtlsMode,
  inbound: InboundTls,
  events: TransportEvents = {},
): MeshTransportSecurity {
  return {
    async accept(socket) {
      const sniff = await sniffFirstByte(socket);
      if (!sniff.ok) {
        socket.destroy();
        return null;
      }
      const m = mode();
      if (sniff.kind === 'plaintext') {
        if (m === 'STRICT') {
          events.onRefused?.('plaintext-in-strict', 'STRICT mTLS refuses plaintext');
          socket.destroy();
          return null;
        }
        return { stream: socket, peerPrincipal: null };
      }
      if (m === 'DISABLE') {
        events.onRefused?.('tls-when-disabled', 'mTLS is DISABLEd on this port');
        socket.destroy();
        return null;
      }
      const r = await upgradeInbound(socket, inbound);
      if (!r.ok) {
        events.onRefused?.(r.reason, r.detail);
        return null;
      }
      return { stream: r.socket, peerPrincipal: r.peer.spiffeId };
    },
  };
}
