/**
 * gRPC through two sidecars: a grpc-js client → sidecar A's outbound listener (h2c) → sidecar
 * B's (or C's) inbound listener → a grpc-js server. Unary, server streaming, status codes and a
 * weighted split between two versions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { cluster, endpoint, forward, proxyConfig, sleep, startSidecar, vhost } from './harness';

type Msg = Record<string, unknown>;
const ser = (o: Msg) => Buffer.from(JSON.stringify(o));
const de = (b: Buffer) => JSON.parse(b.toString()) as Msg;
const definition = {
  hello: {
    path: '/trellis.test.Greeter/Hello',
    requestStream: false,
    responseStream: false,
    requestSerialize: ser,
    requestDeserialize: de,
    responseSerialize: ser,
    responseDeserialize: de,
  },
  count: {
    path: '/trellis.test.Greeter/Count',
    requestStream: false,
    responseStream: true,
    requestSerialize: ser,
    requestDeserialize: de,
    responseSerialize: ser,
    responseDeserialize: de,
  },
} satisfies grpc.ServiceDefinition;

const Client = grpc.makeGenericClientConstructor(definition, 'Greeter');
type GreeterClient = grpc.Client & {
  hello(req: Msg, cb: (err: grpc.ServiceError | null, res?: Msg) => void): void;
  count(req: Msg): grpc.ClientReadableStream<Msg>;
};

async function startGreeter(version: string): Promise<{ port: number; close(): void }> {
  const server = new grpc.Server();
  server.addService(definition, {
    hello: (call: grpc.ServerUnaryCall<Msg, Msg>, cb: grpc.sendUnaryData<Msg>) => {
      if (call.request.name === 'missing') cb({ code: grpc.status.NOT_FOUND, details: 'no such greeting' });
      else cb(null, { greeting: `hello ${call.request.name}`, version });
    },
    count: (call: grpc.ServerWritableStream<Msg, Msg>) => {
      const n = Number(call.request.n);
      let i = 0;
      const tick = () => {
        if (i === n) return void call.end();
        call.write({ i: i++, version });
        setTimeout(tick, 2);
      };
      tick();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { port, close: () => server.forceShutdown() };
}

function hello(c: GreeterClient, name: string): Promise<Msg> {
  return new Promise((resolve, reject) =>
    c.hello({ name }, (err, res) => (err ? reject(err) : resolve(res!))),
  );
}

test('gRPC unary and server streaming through two sidecars, with a weighted split by version', async (t) => {
  const g1 = await startGreeter('v1');
  const g2 = await startGreeter('v2');
  t.after(() => {
    g1.close();
    g2.close();
  });
  // Destination sidecars in front of each version; they only need their inbound side.
  const b = await startSidecar({
    workload: 'greeter-v1',
    appPort: g1.port,
    services: [{ name: 'greeter', port: 50051 }],
    config: proxyConfig('1', [], [], g1.port),
  });
  const c = await startSidecar({
    workload: 'greeter-v2',
    appPort: g2.port,
    labels: { app: 'greeter', version: 'v2' },
    services: [{ name: 'greeter', port: 50051 }],
    config: proxyConfig('1', [], [], g2.port),
  });
  t.after(() => Promise.all([b.close(100), c.close(100)]));
  const p = (addr: string) => Number(addr.split(':')[1]);
  const c1 = cluster('greeter', 50051, [endpoint(p(b.inboundAddress), 'v1', 'greeter')], {
    subset: 'v1',
    protocol: 'GRPC',
  });
  const c2 = cluster('greeter', 50051, [endpoint(p(c.inboundAddress), 'v2', 'greeter')], {
    subset: 'v2',
    protocol: 'GRPC',
  });
  const a = await startSidecar({
    workload: 'client-v1',
    appPort: 1,
    config: proxyConfig(
      '1',
      [
        vhost('greeter', 50051, [
          forward('split', [
            [c1.name, 80],
            [c2.name, 20],
          ]),
        ]),
      ],
      [c1, c2],
    ),
  });
  t.after(() => a.close(100));

  const client = new Client(`127.0.0.1:${a.ports.outbound}`, grpc.credentials.createInsecure(), {
    'grpc.default_authority': 'greeter:50051',
  }) as unknown as GreeterClient;
  t.after(() => client.close());

  const first = await hello(client, 'mesh');
  assert.equal(first.greeting, 'hello mesh');

  await assert.rejects(hello(client, 'missing'), (err: grpc.ServiceError) => {
    assert.equal(err.code, grpc.status.NOT_FOUND);
    assert.equal(err.details, 'no such greeting');
    return true;
  });

  const items: Msg[] = [];
  await new Promise<void>((resolve, reject) => {
    const s = client.count({ n: 25 });
    s.on('data', (m: Msg) => items.push(m));
    s.on('error', reject);
    s.on('end', () => resolve());
  });
  assert.equal(items.length, 25);
  assert.deepEqual(
    items.map((m) => m.i),
    Array.from({ length: 25 }, (_, i) => i),
  );

  const versions = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < 400) {
        next++;
        const r = await hello(client, 'split');
        versions.set(String(r.version), (versions.get(String(r.version)) ?? 0) + 1);
      }
    }),
  );
  const v2 = ((versions.get('v2') ?? 0) / 400) * 100;
  assert.equal((versions.get('v1') ?? 0) + (versions.get('v2') ?? 0), 400);
  assert.ok(v2 >= 13 && v2 <= 27, `v2 got ${v2}%`);

  await sleep(50);
  const dest = [...b.records, ...c.records].filter((r) => r.reporter === 'destination');
  assert.ok(dest.length > 0);
  const r = dest.find((x) => x.grpcStatus === 0)!;
  assert.equal(r.protocol, 'grpc');
  assert.equal(r.source.workload, 'client-v1', 'the destination side knows who called');
  assert.equal(r.destination.service, 'greeter.default.svc.cluster.local');
  assert.ok(dest.some((x) => x.grpcStatus === grpc.status.NOT_FOUND));
  const src = a.records.find((x) => x.reporter === 'source' && x.grpcStatus === 0)!;
  assert.equal(src.destination.workload.startsWith('greeter-'), true);
});
