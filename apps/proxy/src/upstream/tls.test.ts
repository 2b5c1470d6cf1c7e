import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { type TestContext, test } from 'node:test';
import tls from 'node:tls';
import { CertificateManager } from '../tls/certificate-manager';
import { TestCa } from '../tls/testing';
import { H1Transport } from './h1';
import { H2Transport } from './h2';
import { LocalReply, UpstreamResponse } from './outcome';
import { type MeshClientTls, meshConnector, openMeshSocket } from './tls';

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

/**
 * A sidecar that refuses our certificate after a TLS 1.3 handshake: node finishes the handshake
 * (the client has already sent its request), then checks the client certificate and closes.
 * `trusted` decides whether the server trusts the client's CA, so the same setup also shows the
 * accepted case answering 200.
 */
async function judgingServer(t: TestContext, trusted: boolean) {
  const meshCa = await TestCa.create();
  const otherCa = await TestCa.create();
  const server = new CertificateManager({ signer: meshCa, namespace: 'default', serviceAccount: 'reviews' });
  const client = new CertificateManager({
    signer: meshCa,
    namespace: 'default',
    serviceAccount: 'productpage',
  });
  t.after(() => {
    server.stop();
    client.stop();
  });
  await Promise.all([server.start(), client.start()]);
  const answer = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
  const tlsServer = tls.createServer(
    {
      ...server.serverOptions(),
      ca: trusted ? meshCa.rootPem : otherCa.rootPem,
      rejectUnauthorized: true,
    },
    (s) => {
      s.on('error', () => undefined);
      if (s.alpnProtocol === 'h2') {
        const session = http2.performServerHandshake(s);
        session.on('stream', (stream) => stream.respond({ ':status': 200 }, { endStream: true }));
      } else s.on('data', () => s.write(answer));
    },
  );
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  const sockets = new Set<net.Socket>();
  tlsServer.on('connection', (s: net.Socket) => sockets.add(s));
  t.after(
    () =>
      new Promise<void>((r) => {
        tlsServer.close(() => r());
        for (const s of sockets) s.destroy();
      }),
  );
  const { port } = tlsServer.address() as net.AddressInfo;
  const mesh: MeshClientTls = {
    connectionOptions: (expected, alpn) =>
      client.clientOptions({ expected: expected ? [expected] : [], alpn: [alpn] }),
  };
  return { port, mesh };
}

for (const trusted of [false, true]) {
  test(`TLS 1.3, server ${trusted ? 'accepts' : 'refuses'} the client certificate after the handshake: HTTP/1.1 and HTTP/2 see ${trusted ? '200' : 'a connect failure'}`, async (t) => {
    const { port, mesh } = await judgingServer(t, trusted);
    const h1 = new H1Transport(
      `http://127.0.0.1:${port}`,
      { connections: null, maxRequestsPerConnection: 0 },
      meshConnector('127.0.0.1', port, mesh, undefined),
    );
    const h2 = new H2Transport(`https://127.0.0.1:${port}`, 0, () =>
      openMeshSocket('127.0.0.1', port, mesh, undefined, 'h2'),
    );
    t.after(() => Promise.all([h1.destroy(), h2.close()]));

    const r1 = new UpstreamResponse('outbound|9080||reviews');
    h1.dispatch('GET', '/', ['host', 'reviews'], null, r1);
    const r2 = new UpstreamResponse('outbound|9080||reviews');
    h2.dispatch({ ':method': 'GET', ':path': '/', ':authority': 'reviews', ':scheme': 'https' }, null, r2);
    for (const [name, o] of [
      ['HTTP/1.1', await r1.promise],
      ['HTTP/2', await r2.promise],
    ] as const) {
      if (trusted) {
        assert.ok(!(o instanceof LocalReply), `${name}: ${o instanceof LocalReply ? o.body : ''}`);
        assert.equal(o.status, 200, name);
      } else {
        assert.ok(o instanceof LocalReply, `${name}: the refusing server answered`);
        assert.equal(o.cause, 'connect-failure', `${name}: ${o.body}`);
      }
    }
  });
}

test('a mesh peer that resets the connection right after the handshake, our request unread, is a connect failure', async (t) => {
  const ca = await TestCa.create();
  const server = new CertificateManager({ signer: ca, namespace: 'default', serviceAccount: 'reviews' });
  const client = new CertificateManager({ signer: ca, namespace: 'default', serviceAccount: 'productpage' });
  t.after(() => {
    server.stop();
    client.stop();
  });
  await Promise.all([server.start(), client.start()]);
  // What the kernel does when a sidecar closes a refused connection holding our unread request:
  // an RST, which the client reads as ECONNRESET rather than a clean close.
  const tlsServer = tls.createServer(server.serverOptions());
  const raw: net.Socket[] = [];
  tlsServer.on('connection', (s: net.Socket) => raw.push(s));
  tlsServer.on('secureConnection', (s) => {
    s.on('error', () => undefined);
    setTimeout(() => raw.shift()?.resetAndDestroy(), 50);
  });
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => tlsServer.close(() => r())));
  const { port } = tlsServer.address() as net.AddressInfo;
  const mesh: MeshClientTls = {
    connectionOptions: (_expected, alpn) => client.clientOptions({ alpn: [alpn] }),
  };
  const pool = new H1Transport(
    `http://127.0.0.1:${port}`,
    { connections: null, maxRequestsPerConnection: 0 },
    meshConnector('127.0.0.1', port, mesh, undefined),
  );
  t.after(() => pool.destroy());
  const res = new UpstreamResponse('outbound|9080||reviews');
  pool.dispatch('GET', '/', ['host', 'reviews'], null, res);
  const o = await res.promise;
  assert.ok(o instanceof LocalReply, 'the resetting server answered');
  assert.equal(o.cause, 'connect-failure', o.body);
  assert.match(o.body, /ECONNRESET|other side closed/);
});
