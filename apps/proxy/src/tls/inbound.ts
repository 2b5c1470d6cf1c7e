import type net from 'node:net';
import tls from 'node:tls';
import type { CertificateManager } from './certificate-manager';
import { identityFromSan, type PeerIdentity } from './peer';

// First-byte sniffing lives in @trellis/shared (the control plane's gRPC port uses it too).
export {
  classifyFirstByte,
  type FirstByteClass,
  type SniffResult,
  sniffFirstByte,
} from '@trellis/shared/net/tls-sniff';

export type InboundTlsResult =
  | { ok: true; socket: tls.TLSSocket; peer: PeerIdentity; alpn: string | false }
  | { ok: false; reason: 'handshake-failed' | 'peer-unauthorized' | 'no-workload-identity'; detail: string };

/**
 * Server-side mTLS for sockets a listener has already accepted (and maybe sniffed). A tls.Server
 * that never listens does the handshakes: node only verifies a client certificate for sockets a
 * tls.Server owns, and setSecureContext on it swaps certificates for new handshakes only.
 */
export class InboundTls {
  readonly #server: tls.Server;
  readonly #detach: () => void;
  readonly #pending = new Map<string, (r: InboundTlsResult) => void>();
  readonly #handshakeTimeoutMs: number;

  constructor(manager: CertificateManager, opts: { handshakeTimeoutMs?: number } = {}) {
    this.#handshakeTimeoutMs = opts.handshakeTimeoutMs ?? 10_000;
    this.#server = tls.createServer({
      ...manager.serverOptions(),
      // Checked below instead, so the reason (expired, unknown CA, …) reaches the caller.
      rejectUnauthorized: false,
      handshakeTimeout: this.#handshakeTimeoutMs,
    });
    this.#detach = manager.attachServer(this.#server);
    this.#server.on('secureConnection', (s: tls.TLSSocket) => this.#settle(s, verify(s)));
    this.#server.on('tlsClientError', (err: Error, s: tls.TLSSocket) =>
      this.#settle(s, { ok: false, reason: 'handshake-failed', detail: err.message }),
    );
  }

  /** Runs the server side of the handshake on an accepted socket and checks the client. */
  upgrade(socket: net.Socket): Promise<InboundTlsResult> {
    const key = connectionKey(socket);
    if (!key || this.#pending.has(key))
      return Promise.resolve({
        ok: false,
        reason: 'handshake-failed',
        detail: 'socket has no usable address',
      });
    return new Promise((resolve) => {
      const fail = (detail: string) => this.#finish(key, { ok: false, reason: 'handshake-failed', detail });
      // The accepted socket closes with its TLSSocket; a failure whose TLSSocket has already
      // lost its address (so #settle cannot find it) still ends here.
      const onClose = () => fail('the connection closed during the TLS handshake');
      const timer = setTimeout(() => fail('the TLS handshake timed out'), this.#handshakeTimeoutMs + 1000);
      socket.once('close', onClose);
      this.#pending.set(key, (r) => {
        clearTimeout(timer);
        socket.off('close', onClose);
        resolve(r);
      });
      this.#server.emit('connection', socket);
    });
  }

  close(): void {
    this.#detach();
    for (const key of [...this.#pending.keys()])
      this.#finish(key, { ok: false, reason: 'handshake-failed', detail: 'inbound TLS closed' });
  }

  #settle(s: tls.TLSSocket, r: InboundTlsResult): void {
    // Read the address before destroy(): a destroyed socket no longer knows it.
    const key = connectionKey(s);
    if (!r.ok) s.destroy();
    if (key) this.#finish(key, r);
  }

  #finish(key: string, r: InboundTlsResult): void {
    const resolve = this.#pending.get(key);
    this.#pending.delete(key);
    resolve?.(r);
  }
}

// A tls.Server reports the TLSSocket it made, not the socket we handed it; the 4-tuple ties them.
function connectionKey(s: net.Socket): string | undefined {
  if (!s.remoteAddress || !s.remotePort) return undefined;
  return `${s.remoteAddress}|${s.remotePort}|${s.localAddress}|${s.localPort}`;
}

function verify(s: tls.TLSSocket): InboundTlsResult {
  if (!s.authorized)
    return {
      ok: false,
      reason: 'peer-unauthorized',
      detail: String(s.authorizationError ?? 'the client sent no certificate'),
    };
  const peer = identityFromSan(s.getPeerX509Certificate()?.subjectAltName);
  if (!peer)
    return {
      ok: false,
      reason: 'no-workload-identity',
      detail: 'the client certificate carries no SPIFFE id',
    };
  return { ok: true, socket: s, peer, alpn: s.alpnProtocol ?? false };
}

/** The listener's one call: TLS on this socket with the mesh identity, or a reason it failed. */
export function upgradeInbound(socket: net.Socket, inbound: InboundTls): Promise<InboundTlsResult> {
  return inbound.upgrade(socket);
}
