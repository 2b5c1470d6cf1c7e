/**
 * Tells "the mesh peer refused this connection" apart from "the peer reset a request in flight"
 * (see refusedAfterHandshake). Its own module: the mTLS connector marks, the HTTP/1.1 transport asks.
 */
const refusedByPeer = new WeakSet<Error>();

/** Called by the mTLS connector for a socket error that came before any byte of HTTP. */
export function markRefusedByPeer(err: Error): void {
  refusedByPeer.add(err);
}

/**
 * The mesh peer closed or reset the connection before sending a byte of HTTP on it. Over TLS 1.3
 * the client's handshake completes before the server has judged the client certificate, so this
 * is how a sidecar refusing us (an expired certificate, another CA) looks; the request it carried
 * was not read, almost always (a sidecar killed mid-request is the exception). Envoy counts a
 * connection that never became usable as a connection failure, and so does the retry policy here.
 * undici reports a clean close as UND_ERR_SOCKET with the socket's byte counts, and a reset
 * (the usual case: the server closed with our request unread) as the socket's own error.
 */
export function refusedAfterHandshake(
  err: Error & { code?: string; socket?: { bytesRead?: number } },
): boolean {
  return refusedByPeer.has(err) || (err.code === 'UND_ERR_SOCKET' && err.socket?.bytesRead === 0);
}
