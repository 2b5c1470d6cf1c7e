import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { H1Transport } from './h1';
import { LocalReply, UpstreamResponse } from './outcome';
import { type MeshClientTls, meshConnector } from './tls';

// No certificate is needed: the peer never lets the handshake finish.
const client: MeshClientTls = { connectionOptions: () => ({ rejectUnauthorized: false }) };

test('a peer that resets the mTLS handshake is a connect failure (retried by the default policy), not a reset', async (t) => {
  // Reads the ClientHello, then resets: what a sidecar that refuses the connection looks like.
  const server = net.createServer((s) => s.once('data', () => s.resetAndDestroy()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as net.AddressInfo;

  const pool = new H1Transport(
    `http://127.0.0.1:${port}`,
    { connections: null, maxRequestsPerConnection: 0 },
    meshConnector('127.0.0.1', port, client, undefined),
  );
  t.after(() => pool.destroy());
  const res = new UpstreamResponse('outbound|9080||reviews');
  pool.dispatch('GET', '/', ['host', 'reviews'], null, res);
  const o = await res.promise;

  assert.ok(o instanceof LocalReply, 'no response head came back');
  assert.equal(o.status, 503);
  assert.equal(o.cause, 'connect-failure');
  assert.match(o.body, /reset reason: connection failure, transport failure reason: TLS error: /);
});
