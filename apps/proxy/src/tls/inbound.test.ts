import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { test } from 'node:test';
import type tls from 'node:tls';
import { CertificateManager } from './certificate-manager';
import { classifyFirstByte, InboundTls } from './inbound';
import { TestCa } from './testing';
import { type MtlsMode, meshTransportSecurity } from './transport';

test('the first byte tells a TLS ClientHello from plaintext', () => {
  assert.equal(classifyFirstByte(0x16), 'tls');
  assert.equal(classifyFirstByte('G'.charCodeAt(0)), 'plaintext');
  assert.equal(classifyFirstByte('P'.charCodeAt(0)), 'plaintext'); // the h2c preface "PRI * HTTP/2.0"
  assert.equal(classifyFirstByte(0x00), 'plaintext');
});

async function manager(ca: TestCa, serviceAccount: string): Promise<CertificateManager> {
  const m = new CertificateManager({
    signer: ca,
    namespace: 'default',
    serviceAccount,
    lifetimeSeconds: 3600,
  });
  await m.start();
  return m;
}

/** An inbound listener as the proxy will build one: sniff, maybe TLS, then HTTP; echoes the peer. */
async function inboundServer(
  t: { after: (fn: () => unknown) => void },
  serverMgr: CertificateManager,
  mode: MtlsMode,
) {
  const inbound = new InboundTls(serverMgr);
  const refused: string[] = [];
  const security = meshTransportSecurity(() => mode, inbound, {
    onRefused: (reason, detail) => {
      refused.push(reason);
      if (process.env.DBG) console.log('REFUSED', reason, detail);
    },
  });
  const peers = new WeakMap<object, string>();
  const app = http.createServer((req, res) => res.end(`peer=${peers.get(req.socket) ?? 'none'}`));
  const listener = net.createServer(async (socket) => {
    socket.on('error', () => {});
    const accepted = await security.accept(socket);
    if (!accepted) return;
    if (accepted.peerPrincipal) peers.set(accepted.stream, accepted.peerPrincipal);
    app.emit('connection', accepted.stream);
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  t.after(() => {
    inbound.close();
    listener.close();
    app.closeAllConnections();
  });
  return { port: (listener.address() as net.AddressInfo).port, refused };
}

function get(port: number, tlsOptions?: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const opts = { host: '127.0.0.1', port, path: '/', agent: false as const, timeout: 5000 };
    const req = tlsOptions ? https.request({ ...opts, ...tlsOptions }) : http.request(opts);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

test('PERMISSIVE: plaintext and mTLS on one port; mTLS requests carry the client’s SPIFFE id', async (t) => {
  const ca = await TestCa.create();
  const server = await manager(ca, 'reviews');
  const client = await manager(ca, 'productpage');
  t.after(() => {
    server.stop();
    client.stop();
  });
  const { port } = await inboundServer(t, server, 'PERMISSIVE');
  assert.equal(await get(port), 'peer=none');
  assert.equal(
    await get(port, client.clientOptions({ alpn: ['http/1.1'] })),
    'peer=spiffe://cluster.local/ns/default/sa/productpage',
  );
});

test('STRICT: plaintext is refused, and so is TLS without a mesh client certificate', async (t) => {
  const ca = await TestCa.create();
  const server = await manager(ca, 'reviews');
  const client = await manager(ca, 'productpage');
  t.after(() => {
    server.stop();
    client.stop();
  });
  const { port, refused } = await inboundServer(t, server, 'STRICT');
  await assert.rejects(get(port));
  // Trusts the server but presents no certificate of its own.
  await assert.rejects(
    get(port, {
      ca: ca.rootPem,
      ALPNProtocols: ['http/1.1'],
      checkServerIdentity: () => undefined,
    }),
  );
  // Something that starts like TLS and is not: refused, and the listener is not left waiting.
  await new Promise<void>((resolve) => {
    const junk = net.connect(port, '127.0.0.1', () =>
      junk.write(Buffer.from([0x16, 3, 1, 0, 5, 1, 2, 3, 4, 5, 6, 7])),
    );
    junk.on('error', () => {});
    junk.on('close', () => resolve());
    junk.setTimeout(5000, () => junk.destroy());
  });
  for (let i = 0; i < 50 && refused.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(refused, ['plaintext-in-strict', 'peer-unauthorized', 'handshake-failed']);
  assert.equal(
    await get(port, client.clientOptions({ alpn: ['http/1.1'] })),
    'peer=spiffe://cluster.local/ns/default/sa/productpage',
  );
});
