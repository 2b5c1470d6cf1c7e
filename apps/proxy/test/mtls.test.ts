/**
 * Sidecar-to-sidecar mTLS on real sockets, identities from an in-memory CA: auto mTLS to the
 * endpoint's principal over HTTP/1.1 and HTTP/2, identities in telemetry, STRICT / PERMISSIVE /
 * DISABLE on the inbound port (switchable by a push), foreign, expired and not-yet-valid
 * certificates refused, rotation under traffic without a failed request.
 * The same against `trellis controlplane` + `trellis proxy`: apps/controlplane/test/e2e-security*.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from 'undici';
import { TestCa } from '../src/tls/testing';
import { get, sleep } from './harness';
import {
  certificateFor,
  clientConfig,
  h2Get,
  inboundConfig,
  meshPair,
  plainGet,
  spiffe,
  tlsGet,
} from './mtls-support';

test('auto mTLS between sidecars; principals and mutual_tls reach telemetry on both sides', async (t) => {
  const { server, client, seen } = await meshPair(t, 'STRICT');
  const r = await get(client.outbound, 'reviews:9080', '/reviews/1');
  assert.equal(r.status, 200, r.body);
  assert.equal(seen.at(-1), '/reviews/1');

  const inbound = server.records.at(-1)!;
  assert.equal(inbound.mtls, true);
  assert.equal(inbound.source.principal, spiffe('productpage'));
  assert.equal(inbound.source.namespace, 'default');
  assert.equal(inbound.source.workload, 'productpage-v1', 'labels still come from the peer sidecar');
  assert.equal(inbound.destination.principal, spiffe('reviews'));
  const outbound = client.records.at(-1)!;
  assert.equal(outbound.mtls, true);
  assert.equal(outbound.source.principal, spiffe('productpage'));
  assert.equal(outbound.destination.principal, spiffe('reviews'));

  // Plaintext straight to the STRICT port is refused.
  assert.equal(await plainGet(server.ports.inbound, '/x'), 0);
});

test('HTTP/2 over mTLS (ALPN h2): from an HTTP/2 client, and for an HTTP2 cluster', async (t) => {
  const { server, client, seen } = await meshPair(t, 'STRICT', { h2App: true });
  const h2 = await h2Get(client.ports.outbound, 'reviews:9080', '/h2');
  assert.equal(h2.status, 200, h2.body);
  assert.equal(seen.at(-1), '/h2');
  assert.equal(server.records.at(-1)!.mtls, true);
  assert.equal(server.records.at(-1)!.source.principal, spiffe('productpage'));
  assert.equal(client.records.at(-1)!.mtls, true);

  // An HTTP2 cluster makes an HTTP/1.1 client's request h2 over mTLS too.
  client.applyConfig({ ...clientConfig(server.ports.inbound, spiffe('reviews'), 'HTTP2'), version: '2' });
  const viaH2 = await get(client.outbound, 'reviews:9080', '/cluster-h2');
  assert.equal(viaH2.status, 200, viaH2.body);
  assert.equal(seen.at(-1), '/cluster-h2');
  assert.equal(server.records.at(-1)!.mtls, true);
});

test('the client refuses a server that is not the principal the endpoint names', async (t) => {
  const { server, client } = await meshPair(t, 'STRICT');
  client.applyConfig({ ...clientConfig(server.ports.inbound, spiffe('ratings')), version: '2' });
  const r = await get(client.outbound, 'reviews:9080', '/');
  assert.equal(r.status, 503);
  assert.match(r.body, /connection failure/);
  assert.deepEqual(client.records.at(-1)!.responseFlags, ['UF']);
  assert.equal(server.records.length, 0, 'nothing reached the server side');
});

test('STRICT refuses plaintext and certificates from another CA or out of their validity', async (t) => {
  const { ca, server, client } = await meshPair(t, 'STRICT');
  const port = server.ports.inbound;
  const now = Date.now();
  const valid = await certificateFor(ca, 'sleep', new Date(now - 60_000), new Date(now + 3_600_000));
  assert.equal(await tlsGet(port, valid, '/ok'), 200, 'a mesh certificate is accepted');
  assert.equal(await plainGet(port), 0);
  assert.equal(await tlsGet(port, null), 0, 'no client certificate');
  const other = await TestCa.create();
  assert.equal(
    await tlsGet(
      port,
      await certificateFor(other, 'sleep', new Date(now - 60_000), new Date(now + 3_600_000)),
    ),
    0,
  );
  const expired = await certificateFor(ca, 'sleep', new Date(now - 7_200_000), new Date(now - 3_600_000));
  assert.equal(await tlsGet(port, expired), 0);
  const early = await certificateFor(ca, 'sleep', new Date(now + 3_600_000), new Date(now + 7_200_000));
  assert.equal(await tlsGet(port, early), 0);
  assert.equal(
    (await get(client.outbound, 'reviews:9080', '/')).status,
    200,
    'the mesh client still gets in',
  );
  assert.ok(server.stats.get('inbound.mtls.refused.plaintext-in-strict') >= 1);
  assert.ok(
    server.stats.get('inbound.mtls.refused.peer-unauthorized') >= 3,
    JSON.stringify(server.stats.snapshot()),
  );
});

test('PERMISSIVE takes plaintext and mTLS on one port; DISABLE refuses TLS', async (t) => {
  const { ca, server, client } = await meshPair(t, 'PERMISSIVE');
  const port = server.ports.inbound;
  const now = Date.now();
  const cert = await certificateFor(ca, 'sleep', new Date(now - 60_000), new Date(now + 3_600_000));
  assert.equal(await plainGet(port, '/plain'), 200);
  assert.equal(await tlsGet(port, cert, '/tls'), 200);
  assert.equal((await get(client.outbound, 'reviews:9080', '/')).status, 200);
  const plainRecord = server.records.find((r) => r.path === '/plain')!;
  assert.equal(plainRecord.mtls, false);
  assert.equal(plainRecord.source.principal, 'unknown');
  assert.equal(plainRecord.destination.principal, 'unknown', 'principals only with peer authentication');

  // An endpoint with tlsMode DISABLE (e.g. a DestinationRule says so) gets plaintext, reported as such.
  client.applyConfig({ ...clientConfig(port, undefined), version: '2' });
  assert.equal((await get(client.outbound, 'reviews:9080', '/to-plain')).status, 200);
  const out = client.records.at(-1)!;
  assert.equal(out.mtls, false);
  assert.equal(out.source.principal, 'unknown');
  assert.equal(server.records.at(-1)!.mtls, false);
  assert.equal(server.records.find((r) => r.path === '/tls')!.source.principal, spiffe('sleep'));

  server.applyConfig(inboundConfig(1, 'DISABLE', [], '2'));
  assert.equal(await tlsGet(port, cert), 0);
  assert.equal(server.store.current?.inbound.mtls.mode, 'DISABLE');
});

test('a push to STRICT cuts established plaintext connections at once; mTLS traffic never fails', async (t) => {
  const { server, client, appPort } = await meshPair(t, 'PERMISSIVE');
  const plain = new Pool(`http://127.0.0.1:${server.ports.inbound}`, { connections: 1 });
  t.after(() => plain.destroy());
  const plainGetOk = async () => {
    try {
      const r = await plain.request({ path: '/', method: 'GET', headers: { host: 'reviews:9080' } });
      await r.body.text();
      return r.statusCode;
    } catch {
      return 0;
    }
  };
  assert.equal(await plainGetOk(), 200);
  let meshFailures = 0;
  let meshTotal = 0;
  let sending = true;
  const mesh = (async () => {
    while (sending) {
      const r = await get(client.outbound, 'reviews:9080', '/');
      meshTotal++;
      if (r.status !== 200) meshFailures++;
      await sleep(5);
    }
  })();
  // Counted, not timed: on a busy machine 200 ms may carry only a request or two.
  const until = async (n: number) => {
    for (let i = 0; i < 1000 && meshTotal < n; i++) await sleep(10);
  };
  await until(5);
  const cfg = inboundConfig(appPort, 'STRICT', [], '2');
  assert.deepEqual(server.applyConfig(cfg), { ok: true });
  // The keep-alive connection that was accepted under PERMISSIVE is gone, and a new one is refused.
  assert.equal(await plainGetOk(), 0);
  assert.equal(await plainGet(server.ports.inbound), 0);
  const afterSwitch = meshTotal;
  await until(afterSwitch + 5);
  sending = false;
  await mesh;
  assert.ok(
    meshTotal >= afterSwitch + 5,
    `mesh traffic flowed after the switch (${meshTotal - afterSwitch})`,
  );
  assert.equal(meshFailures, 0);

  // portLevelMtls for the app's port overrides the workload mode.
  cfg.version = '3';
  cfg.inbound.mtls = { mode: 'STRICT', portLevel: { [String(appPort)]: 'PERMISSIVE' } };
  server.applyConfig(cfg);
  assert.equal(await plainGet(server.ports.inbound), 200);
});

test('certificates rotating every ~1.5 s under traffic: no request fails, connections survive', async (t) => {
  const { server, client } = await meshPair(t, 'STRICT', { lifetimeSeconds: 3 });
  const serials = { client: new Set<string>(), server: new Set<string>() };
  const note = () => {
    serials.client.add(client.tls!.manager.current()!.serial);
    serials.server.add(server.tls!.manager.current()!.serial);
  };
  const deadline = Date.now() + 7_000;
  let ok = 0;
  const failures: string[] = [];
  const worker = async () => {
    while (Date.now() < deadline) {
      note();
      const r = await get(client.outbound, 'reviews:9080', '/');
      if (r.status === 200) ok++;
      else failures.push(`${r.status} ${r.body}`);
      await sleep(20);
    }
  };
  await Promise.all([worker(), worker()]);
  assert.ok(ok >= 50, `sent ${ok}`);
  assert.deepEqual(failures, []);
  assert.ok(
    serials.client.size >= 3 && serials.server.size >= 3,
    `rotations: ${serials.client.size}/${serials.server.size}`,
  );
  // Keep-alive connections outlive the certificates they were made with.
  const connections = server.stats.get('inbound.connections.mtls');
  assert.ok(connections >= 1 && connections <= 4, `${connections} mTLS connections for 2 clients`);
  const certs = client.tls!.certsView();
  assert.equal(certs.certificate?.spiffeId, spiffe('productpage'));
  assert.ok(certs.rotations >= 3);
});
