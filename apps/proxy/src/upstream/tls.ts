/**
 * Client-side mesh mTLS for upstream connections (Istio's ISTIO_MUTUAL). The certificate is read
 * per connection from whoever holds it (CertificateManager), so a rotation affects new
 * connections only; pooled connections keep going on the handshake they made. The peer must
 * chain to the mesh root and present the SPIFFE id the endpoint's config names.
 */
import tls from 'node:tls';
import type { TlsMode } from '@trellis/shared';
import type { buildConnector } from 'undici';
import { classify } from './h1';
import { markRefusedByPeer } from './refused';

export type MeshAlpn = 'h2' | 'http/1.1';

/** Options for one connection to a peer that must be `expected` (a SPIFFE id); throws without a certificate. */
export interface MeshClientTls {
  connectionOptions(expected: string | undefined, alpn: MeshAlpn): tls.ConnectionOptions;
}

/**
 * Shared by every endpoint of one proxy. `client` is null when the proxy has no mesh identity at
 * all (no --join-token-file, static test configs): ISTIO_MUTUAL endpoints then get plaintext.
 */
export interface UpstreamTlsSlot {
  client: MeshClientTls | null;
}

/** What an endpoint's config says about TLS (EndpointRuntime carries these). */
export interface TlsTarget {
  readonly tlsMode: TlsMode;
  readonly principal: string | undefined;
}

// Envoy's default connect timeout is 10 s; on one machine a dead peer should fail sooner.
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The TLS handshake broke (the peer reset or closed it, an alert): as Envoy does, a connection
 * that never became usable is a connect failure, which the default retry policy retries, not a
 * reset of a request in flight (an ECONNRESET code alone would read as one).
 */
export class MeshHandshakeError extends Error {
  readonly code = 'ERR_TRELLIS_MTLS_HANDSHAKE';
  constructor(readonly reason: Error) {
    super(`TLS error: ${reason.message}`);
    this.name = 'MeshHandshakeError';
  }
}

export class NoCertificateError extends Error {
  readonly code = 'ERR_TRELLIS_NO_CERTIFICATE';
  constructor(cause: unknown) {
    super(`no mesh certificate for mTLS yet (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'NoCertificateError';
  }
}

/**
 * Starts a TCP connection with the mTLS handshake on it; throws NoCertificateError when the
 * proxy has no certificate. A handshake that does not finish within the connect timeout destroys
 * the socket with UND_ERR_CONNECT_TIMEOUT (a connect failure, as undici's own would be).
 */
export function openMeshSocket(
  host: string,
  port: number,
  client: MeshClientTls,
  expected: string | undefined,
  alpn: MeshAlpn,
): tls.TLSSocket {
  let options: tls.ConnectionOptions;
  try {
    options = client.connectionOptions(expected, alpn);
  } catch (err) {
    throw new NoCertificateError(err);
  }
  const socket = tls.connect({ ...options, host, port });
  // Small request/response exchanges: no Nagle delay (undici sets this on its own sockets too).
  socket.setNoDelay(true);
  const timer = setTimeout(
    () =>
      socket.destroy(Object.assign(new Error('mTLS connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })),
    CONNECT_TIMEOUT_MS,
  );
  const clear = () => clearTimeout(timer);
  socket.once('secureConnect', clear);
  socket.once('close', clear);
  return socket;
}

/** An undici connector for one endpoint (HTTP/1.1 pools). */
export function meshConnector(
  host: string,
  port: number,
  client: MeshClientTls,
  expected: string | undefined,
): buildConnector.connector {
  return (_opts, callback) => {
    let socket: tls.TLSSocket;
    try {
      socket = openMeshSocket(host, port, client, expected, 'http/1.1');
    } catch (err) {
      callback(err as Error, null);
      return;
    }
    const onError = (err: Error & { code?: string }) => {
      socket.off('secureConnect', onSecure);
      callback(classify(err) === 'connect-failure' ? err : new MeshHandshakeError(err), null);
    };
    const onSecure = () => {
      socket.off('error', onError);
      // Registered before undici's own listener, so the mark is on the error when undici reads it.
      socket.on('error', (err) => {
        if (socket.bytesRead === 0) markRefusedByPeer(err);
      });
      callback(null, socket);
    };
    socket.once('secureConnect', onSecure);
    socket.once('error', onError);
  };
}
