/**
 * Traffic policies through the real chain: YAML applied with kubectl → control plane → push →
 * `trellis proxy` processes → real requests. One mesh for the whole suite: a productpage sidecar
 * to send from, three reviews sidecars (v1, v2, v3) in front of apps whose behaviour each test
 * sets, and one details sidecar in front of an app that can be made slow (the gRPC test adds a
 * greeter sidecar of its own).
 */
import assert from 'node:assert/strict';
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import type { ProxyConfig } from '@trellis/shared';
import {
  type ControlPlane,
  configDump,
  kubectl,
  type Sidecar,
  startControlPlane,
  startSidecar,
  suiteContext,
  type TestContext,
  tempDir,
  until,
} from './e2e-harness';

const REVIEWS = 'reviews.default.svc.cluster.local';
const DETAILS = 'details.default.svc.cluster.local';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An app whose answer a test can change; counts what reaches it. */
interface App {
  port: number;
  version: string;
  hits: number;
  handler: Handler | null;
}

async function startApp(t: TestContext, version: string): Promise<App> {
  const app: App = { port: 0, version, hits: 0, handler: null };
  const server = createServer((req, res) => {
    app.hits += 1;
    req.resume();
    if (app.handler) return app.handler(req, res);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(version);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  app.port = (server.address() as { port: number }).port;
  return app;
}

function failWith(status: number): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end('broken');
  };
}

function slow(ms: number): Handler {
  return (_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('slow ok');
    }, ms);
  };
}

interface Reply {
  status: number;
  body: string;
  ms: number;
}

/** One request through the sidecar's outbound listener, as an app with HTTP_PROXY sends it. */
function send(outbound: number, agent: Agent, authority: string, path = '/'): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, body: string) => resolve({ status, body, ms: performance.now() - started });
    const req = request(
      {
        host: '127.0.0.1',
        port: outbound,
        path: `http://${authority}${path}`,
        headers: { host: authority },
        agent,
        timeout: 15_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => done(res.statusCode ?? 0, body));
        res.on('error', () => done(0, body));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => done(0, String(e)));
    req.end();
  });
}

async function load(count: number, concurrency: number, one: () => Promise<Reply>): Promise<Reply[]> {
  const replies: Reply[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        replies.push(await one());
      }
    }),
  );
  return replies;
}

function byStatus(replies: Reply[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of replies) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

async function adminText(admin: number, path: string): Promise<string> {
  return (await fetch(`http://127.0.0.1:${admin}${path}`)).text();
}

/** A counter from the sidecar's /stats (0 when absent). */
async function stat(admin: number, name: string): Promise<number> {
  const line = (await adminText(admin, '/stats')).split('\n').find((l) => l.startsWith(`${name}: `));
  return line ? Number(line.slice(name.length + 2)) : 0;
}

/** Endpoint addresses the sidecar currently holds ejected in a cluster. */
async function ejected(admin: number, cluster: string): Promise<string[]> {
  const text = await adminText(admin, '/clusters');
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${cluster}::`) && l.endsWith('::health_flags::/failed_outlier_check'))
    .map((l) => l.split('::')[1] ?? '');
}

/** Waits until the sidecar's pushed config (as JSON) satisfies `check`. */
function untilConfig(sc: Sidecar, what: string, check: (json: string) => boolean): Promise<true> {
  return until(`${sc.workload}: ${what}`, async () => {
    const { config } = await configDump(sc.admin);
    return config !== null && check(JSON.stringify(config)) ? true : undefined;
  });
}

type Msg = Record<string, unknown>;
const ser = (o: Msg) => Buffer.from(JSON.stringify(o));
const de = (b: Buffer) => JSON.parse(b.toString()) as Msg;
const greeterDefinition = {
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
const GreeterClient = grpc.makeGenericClientConstructor(greeterDefinition, 'Greeter');
type Greeter = grpc.Client & {
  hello(req: Msg, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Msg) => void): void;
  count(req: Msg, opts: grpc.CallOptions): grpc.ClientReadableStream<Msg>;
};

async function startGreeter(t: TestContext): Promise<number> {
  const server = new grpc.Server();
  server.addService(greeterDefinition, {
    hello: (call: grpc.ServerUnaryCall<Msg, Msg>, cb: grpc.sendUnaryData<Msg>) => {
      if (call.request.name === 'missing') cb({ code: grpc.status.NOT_FOUND, details: 'no such greeting' });
      else cb(null, { greeting: `hello ${call.request.name}` });
    },
    count: (call: grpc.ServerWritableStream<Msg, Msg>) => {
      for (let i = 0; i < Number(call.request.n); i++) call.write({ i });
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  t.after(() => server.forceShutdown());
  return port;
}

function hello(c: Greeter, name: string): Promise<Msg> {
  return new Promise((resolve, reject) =>
    c.hello({ name }, { deadline: Date.now() + 10_000 }, (err, res) =>
      err ? reject(err) : resolve(res ?? {}),
    ),
  );
}

function subsets(host: string, names: string[], trafficPolicy = ''): string {
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ${host}, namespace: default }
spec:
  host: ${host}
${trafficPolicy}  subsets:
${names.map((n) => `  - { name: ${n}, labels: { version: ${n} } }`).join('\n')}
`;
}

function virtualService(host: string, http: string): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${host}, namespace: default }
spec:
  hosts: [${host}]
  http:
${http}`;
}

describe('traffic policies end to end (kubectl → control plane → trellis proxy)', () => {
  const ctx = suiteContext();
  let cp: ControlPlane;
  let pp: Sidecar;
  let reviews: { app: App; sidecar: Sidecar }[];
  let details: App;
  let agent: Agent;

  before(async () => {
    cp = await startControlPlane(ctx, tempDir(ctx, 'trellis-e2e-policies-'));
    const apps = await Promise.all(['v1', 'v2', 'v3', 'v1', 'v1'].map((v) => startApp(ctx, v)));
    const [r1, r2, r3, d, p] = apps as [App, App, App, App, App];
    details = d;
    const sidecars = await Promise.all([
      startSidecar(ctx, cp, { workload: 'reviews-v1', app: 'reviews', version: 'v1', appPort: r1.port }),
      startSidecar(ctx, cp, { workload: 'reviews-v2', app: 'reviews', version: 'v2', appPort: r2.port }),
      startSidecar(ctx, cp, { workload: 'reviews-v3', app: 'reviews', version: 'v3', appPort: r3.port }),
      startSidecar(ctx, cp, { workload: 'details-v1', app: 'details', version: 'v1', appPort: d.port }),
      startSidecar(ctx, cp, {
        workload: 'productpage-v1',
        app: 'productpage',
        version: 'v1',
        appPort: p.port,
      }),
    ]);
    reviews = [r1, r2, r3].map((app, i) => ({ app, sidecar: sidecars[i] as Sidecar }));
    pp = sidecars[4] as Sidecar;
    agent = new Agent({ keepAlive: true, maxSockets: 16 });
    ctx.after(() => agent.destroy());
    await untilConfig(pp, 'three reviews endpoints and one details endpoint', (json) => {
      const config = JSON.parse(json) as ProxyConfig;
      const n = (name: string) => config.outbound.clusters.find((c) => c.name === name)?.endpoints.length;
      return n(`outbound|9080||${REVIEWS}`) === 3 && n(`outbound|9080||${DETAILS}`) === 1;
    });
  });
  after(() => ctx.run());

  function resetApps(): void {
    for (const r of reviews) {
      r.app.handler = null;
      r.app.hits = 0;
    }
    details.handler = null;
    details.hits = 0;
  }

  it('(3) retries {attempts: 3, retryOn: 5xx} hide one endpoint of three failing every request: ≥ 99.9% of 1,000 succeed', async () => {
    resetApps();
    await kubectl(cp, ['apply'], subsets('reviews', ['v1', 'v2', 'v3']));
    const failing = reviews[1]!.app;
    failing.handler = failWith(503);

    // Without retries the failing endpoint shows, so the retries below are what hides it.
    await kubectl(
      cp,
      ['apply'],
      virtualService(
        'reviews',
        '  - name: noretry\n    retries: { attempts: 0 }\n    route:\n    - destination: { host: reviews }\n',
      ),
    );
    await untilConfig(pp, 'route noretry', (j) => j.includes('default/reviews/noretry'));
    const bare = byStatus(await load(150, 4, () => send(pp.outbound, agent, `${REVIEWS}:9080`)));
    assert.ok((bare[503] ?? 0) >= 25, `without retries the failing endpoint shows: ${JSON.stringify(bare)}`);

    await kubectl(
      cp,
      ['apply'],
      virtualService(
        'reviews',
        '  - name: retry3\n    retries: { attempts: 3, retryOn: 5xx }\n    route:\n    - destination: { host: reviews }\n',
      ),
    );
    await untilConfig(pp, 'route retry3', (j) => j.includes('default/reviews/retry3'));
    const hitsBefore = failing.hits;
    const retriesBefore = await stat(pp.admin, 'outbound.upstream_rq_retry');
    const replies = await load(1000, 8, () => send(pp.outbound, agent, `${REVIEWS}:9080`));
    const counts = byStatus(replies);
    assert.ok((counts[200] ?? 0) >= 999, `success rate below 99.9%: ${JSON.stringify(counts)}`);
    assert.ok(failing.hits - hitsBefore > 100, 'the failing endpoint kept being tried');
    const retries = (await stat(pp.admin, 'outbound.upstream_rq_retry')) - retriesBefore;
    assert.ok(retries > 100, `the sidecar retried ${retries} times`);
  });

  it('(4) outlierDetection ejects a 5xx endpoint after consecutive5xxErrors, keeps it out for baseEjectionTime, brings it back; maxEjectionPercent holds', async () => {
    resetApps();
    const cluster = `outbound|9080||${REVIEWS}`;
    const policy = (base: string, max: number) =>
      `  trafficPolicy:\n    outlierDetection: { consecutive5xxErrors: 3, interval: 100ms, baseEjectionTime: ${base}, maxEjectionPercent: ${max} }\n`;
    await kubectl(cp, ['apply'], subsets('reviews', ['v1', 'v2', 'v3'], policy('3s', 100)));
    await kubectl(
      cp,
      ['apply'],
      virtualService(
        'reviews',
        '  - name: outlier\n    retries: { attempts: 0 }\n    route:\n    - destination: { host: reviews }\n',
      ),
    );
    await untilConfig(
      pp,
      'outlier detection on reviews',
      (j) => j.includes('default/reviews/outlier') && j.includes('"baseEjectionTimeMs":3000'),
    );

    const bad = reviews[0]!;
    bad.app.handler = failWith(500);
    const address = `127.0.0.1:${bad.sidecar.inbound}`;
    // Sequential round robin: every third request meets the failing endpoint.
    for (let i = 0; i < 30 && (await ejected(pp.admin, cluster)).length === 0; i++)
      await send(pp.outbound, agent, `${REVIEWS}:9080`);
    assert.deepEqual(await ejected(pp.admin, cluster), [address], 'the failing endpoint is ejected');
    const hitsAtEjection = bad.app.hits;
    assert.equal(hitsAtEjection, 3, 'ejected after consecutive5xxErrors (3) errors');
    const ejectedAt = performance.now();

    // Healed right away, it still gets nothing while ejected.
    bad.app.handler = null;
    const during: Reply[] = [];
    while (performance.now() - ejectedAt < 2000 && during.length < 400)
      during.push(await send(pp.outbound, agent, `${REVIEWS}:9080`));
    assert.ok(during.length >= 10, `enough traffic while ejected (${during.length} requests)`);
    assert.deepEqual(byStatus(during), { 200: during.length });
    assert.equal(bad.app.hits, hitsAtEjection, 'no traffic to the ejected endpoint');

    // After baseEjectionTime it comes back.
    for (let i = 0; i < 200 && bad.app.hits === hitsAtEjection; i++) {
      await send(pp.outbound, agent, `${REVIEWS}:9080`);
      await sleep(50);
    }
    const back = performance.now() - ejectedAt;
    assert.ok(bad.app.hits > hitsAtEjection, 'the healed endpoint gets traffic again');
    assert.ok(back >= 2900, `it came back after baseEjectionTime (${Math.round(back)} ms)`);
    assert.deepEqual(await ejected(pp.admin, cluster), []);

    // maxEjectionPercent 34 of three endpoints: one ejection (33%) fits, a second (67%) does not.
    resetApps();
    await kubectl(cp, ['apply'], subsets('reviews', ['v1', 'v2', 'v3'], policy('30s', 34)));
    await untilConfig(pp, 'maxEjectionPercent 34', (j) => j.includes('"maxEjectionPercent":34'));
    reviews[0]!.app.handler = failWith(500);
    reviews[1]!.app.handler = failWith(500);
    const replies = await load(30, 1, () => send(pp.outbound, agent, `${REVIEWS}:9080`));
    const out = await ejected(pp.admin, cluster);
    assert.equal(out.length, 1, `exactly one endpoint ejected: ${JSON.stringify(out)}`);
    const stillFailing = reviews.find(
      (r, i) => i < 2 && !out.includes(`127.0.0.1:${r.sidecar.inbound}`),
    )!.app;
    assert.ok(stillFailing.hits >= 5, 'the other failing endpoint keeps getting traffic');
    assert.ok((byStatus(replies)[500] ?? 0) >= 5, 'its failures reach the client');
    resetApps();
  });

  it('(5) maxConnections 1 + http1MaxPendingRequests 1: a 50-request burst to a slow app gets 503 UO and nothing hangs', async () => {
    resetApps();
    details.handler = slow(200);
    await kubectl(
      cp,
      ['apply'],
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: details, namespace: default }
spec:
  host: details
  trafficPolicy:
    connectionPool:
      tcp: { maxConnections: 1 }
      http: { http1MaxPendingRequests: 1 }
`,
    );
    await untilConfig(pp, 'details connection pool', (j) => /"maxConnections":1\b/.test(j));
    const uoBefore = await stat(pp.admin, 'outbound.response_flag.UO');
    const burst = new Agent({ keepAlive: false, maxSockets: 64 });
    try {
      const started = performance.now();
      const replies = await Promise.all(
        Array.from({ length: 50 }, () => send(pp.outbound, burst, `${DETAILS}:9080`)),
      );
      const elapsed = performance.now() - started;
      const counts = byStatus(replies);
      assert.ok((counts[503] ?? 0) > 0, `some overflowed: ${JSON.stringify(counts)}`);
      assert.ok(
        (counts[200] ?? 0) >= 2,
        `the admitted and the queued request succeed: ${JSON.stringify(counts)}`,
      );
      assert.equal(
        (counts[200] ?? 0) + (counts[503] ?? 0),
        50,
        `every request settled: ${JSON.stringify(counts)}`,
      );
      assert.match(replies.find((r) => r.status === 503)!.body, /upstream overflow/);
      assert.ok(elapsed < 12_000, `the burst settled in ${Math.round(elapsed)} ms`);
      const uo = (await stat(pp.admin, 'outbound.response_flag.UO')) - uoBefore;
      assert.equal(uo, counts[503], 'every 503 carries the UO flag');
    } finally {
      burst.destroy();
    }
    assert.equal(
      (await send(pp.outbound, agent, `${DETAILS}:9080`)).status,
      200,
      'serves again after the burst',
    );
    await kubectl(cp, ['delete', 'destinationrule', 'details']);
  });

  it('(6) fault abort 50% → 50 ± 5% of 1,000 aborted; fixed delay 200 ms shows; a short VS timeout gives 504 UT', async () => {
    resetApps();
    await kubectl(
      cp,
      ['apply'],
      virtualService(
        'details',
        '  - name: abort\n    fault: { abort: { percentage: { value: 50 }, httpStatus: 503 } }\n    route:\n    - destination: { host: details }\n',
      ),
    );
    await untilConfig(pp, 'route abort', (j) => j.includes('default/details/abort'));
    const replies = await load(1000, 8, () => send(pp.outbound, agent, `${DETAILS}:9080`));
    const aborted = replies.filter((r) => r.status === 503 && /fault filter abort/.test(r.body)).length;
    const ok = replies.filter((r) => r.status === 200).length;
    assert.equal(aborted + ok, 1000, JSON.stringify(byStatus(replies)));
    assert.ok(aborted >= 450 && aborted <= 550, `aborted ${aborted} of 1000 (want 500 ± 50)`);
    assert.equal(details.hits, ok, 'aborted requests never reach the app');

    await kubectl(
      cp,
      ['apply'],
      virtualService(
        'details',
        '  - name: delay\n    fault: { delay: { percentage: { value: 100 }, fixedDelay: 200ms } }\n    route:\n    - destination: { host: details }\n',
      ),
    );
    await untilConfig(pp, 'route delay', (j) => j.includes('default/details/delay'));
    for (let i = 0; i < 3; i++) {
      const r = await send(pp.outbound, agent, `${DETAILS}:9080`);
      assert.equal(r.status, 200);
      assert.ok(r.ms >= 190, `a delayed request took ${Math.round(r.ms)} ms`);
    }

    details.handler = slow(2000);
    const utBefore = await stat(pp.admin, 'outbound.response_flag.UT');
    await kubectl(
      cp,
      ['apply'],
      virtualService(
        'details',
        '  - name: timeout\n    timeout: 0.3s\n    route:\n    - destination: { host: details }\n',
      ),
    );
    await untilConfig(pp, 'route timeout', (j) => j.includes('default/details/timeout'));
    const r = await send(pp.outbound, agent, `${DETAILS}:9080`);
    assert.equal(r.status, 504);
    assert.match(r.body, /upstream request timeout/);
    assert.ok(r.ms < 1800, `answered at the timeout, not when the app did (${Math.round(r.ms)} ms)`);
    assert.equal((await stat(pp.admin, 'outbound.response_flag.UT')) - utBefore, 1, 'flagged UT');
    details.handler = null;
    await kubectl(cp, ['delete', 'virtualservice', 'details']);
  });

  it('(7) gRPC unary, status codes and server streaming through two sidecars', async (t) => {
    const port = await startGreeter(t);
    await startSidecar(t, cp, {
      workload: 'greeter-v1',
      app: 'greeter',
      version: 'v1',
      appPort: port,
      port: 50051,
    });
    await untilConfig(pp, 'a greeter endpoint', (j) =>
      j.includes('outbound|50051||greeter.default.svc.cluster.local'),
    );
    const client = new GreeterClient(`127.0.0.1:${pp.outbound}`, grpc.credentials.createInsecure(), {
      'grpc.default_authority': 'greeter:50051',
    }) as unknown as Greeter;
    t.after(() => client.close());
    assert.deepEqual(await hello(client, 'mesh'), { greeting: 'hello mesh' });
    await assert.rejects(hello(client, 'missing'), (err: grpc.ServiceError) => {
      assert.equal(err.code, grpc.status.NOT_FOUND);
      assert.equal(err.details, 'no such greeting');
      return true;
    });
    const got: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = client.count({ n: 20 }, { deadline: Date.now() + 10_000 });
      stream.on('data', (m: Msg) => got.push(Number(m.i)));
      stream.on('error', reject);
      stream.on('end', () => resolve());
    });
    assert.deepEqual(
      got,
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it('(10) unknown host → 404 NR, empty subset → 503 UH, refused port → 503 UF (URX with retries); other routes keep working', async () => {
    resetApps();
    const flag = (f: string) => stat(pp.admin, `outbound.response_flag.${f}`);
    const nrBefore = await flag('NR');
    const nr = await send(pp.outbound, agent, 'nope.default.svc.cluster.local:9080');
    assert.equal(nr.status, 404);
    assert.match(nr.body, /no route to host nope\.default\.svc\.cluster\.local:9080/);
    assert.equal((await flag('NR')) - nrBefore, 1);

    await kubectl(cp, ['apply'], subsets('reviews', ['v1', 'v2', 'v3', 'v9']));
    await kubectl(
      cp,
      ['apply'],
      virtualService(
        'reviews',
        `  - name: empty
    match: [{ uri: { prefix: /empty } }]
    route:
    - destination: { host: reviews, subset: v9 }
  - name: retried
    match: [{ uri: { prefix: /retried } }]
    retries: { attempts: 2, retryOn: connect-failure }
    route:
    - destination: { host: reviews, subset: v3 }
  - name: refused
    retries: { attempts: 0 }
    route:
    - destination: { host: reviews, subset: v3 }
`,
      ),
    );
    await untilConfig(pp, 'routes empty/retried/refused', (j) => j.includes('default/reviews/refused'));
    const uhBefore = await flag('UH');
    const uh = await send(pp.outbound, agent, `${REVIEWS}:9080`, '/empty');
    assert.equal(uh.status, 503);
    assert.match(uh.body, /no healthy upstream for outbound\|9080\|v9\|reviews/);
    assert.equal((await flag('UH')) - uhBefore, 1);

    // reviews-v3's sidecar dies: its endpoint stays in the registry for a grace period, and
    // its port now refuses connections. No request went to subset v3 before, so no pooled socket.
    await reviews[2]!.sidecar.proc.stop('SIGKILL');
    const [ufBefore, urxBefore] = [await flag('UF'), await flag('URX')];
    const uf = await send(pp.outbound, agent, `${REVIEWS}:9080`, '/');
    assert.equal(uf.status, 503, uf.body);
    assert.match(uf.body, /upstream connect error.*connection failure.*outbound\|9080\|v3\|reviews/);
    assert.equal((await flag('UF')) - ufBefore, 1);
    const urx = await send(pp.outbound, agent, `${REVIEWS}:9080`, '/retried');
    assert.equal(urx.status, 503, urx.body);
    assert.match(urx.body, /connection failure/);
    assert.equal((await flag('URX')) - urxBefore, 1, 'retries exhausted: URX');

    // The sidecar keeps serving everything else.
    assert.equal((await send(pp.outbound, agent, `${DETAILS}:9080`)).status, 200);
    await kubectl(
      cp,
      ['apply'],
      virtualService(
        'reviews',
        '  - name: healthy\n    route:\n    - destination: { host: reviews, subset: v1 }\n',
      ),
    );
    await untilConfig(pp, 'route healthy', (j) => j.includes('default/reviews/healthy'));
    const good = await send(pp.outbound, agent, `${REVIEWS}:9080`);
    assert.deepEqual([good.status, good.body], [200, 'v1']);
  });
});
