/**
 * `trellis demo` end to end, as a user runs it: one real demo process (control plane, six
 * Bookinfo workloads with sidecars, the meshed load generator, the console) shared by the checks
 * below, which run in order. Istio's published Bookinfo routing samples are applied unchanged
 * with kubectl, and their effect is checked on the page and in the telemetry graph. Then the demo
 * is stopped with SIGINT and nothing may be left; a second start on the same data directory
 * keeps the objects; a killed service shows up as errors while the demo keeps running.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceGraph } from '@trellis/shared';
import type { DemoState } from '../src/demo/state-files';
import {
  type DemoProcess,
  fixture,
  freePortBase,
  graph,
  groupAlive,
  http,
  killAllOf,
  kubectl,
  loginAs,
  processesOf,
  readPidsFile,
  readState,
  reviewsServedBy,
  reviewsShares,
  starColors,
  startDemo,
  until,
  waitReady,
} from './demo-support';

const RATE = 8; // requests per second: enough for stable shares over a 10 s window, light on 2 cores
const BOOKINFO = ['productpage-v1', 'details-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'ratings-v1'];
const REVIEWS_UNAVAILABLE = 'Sorry, product reviews are currently unavailable for this book.';
const RATINGS_UNAVAILABLE = 'Ratings service is currently unavailable';
// The first start may include the console's production build (a minute or two on 2 cores).
const FIRST_START_MS = 8 * 60_000;

describe('trellis demo', { timeout: 25 * 60_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'trellis-demo-test-'));
  let portBase = 0;
  let demo: DemoProcess;
  let state: DemoState;
  const productpage = () =>
    `http://127.0.0.1:${state.workloads.find((w) => w.name === 'productpage-v1')!.inboundPort}`;
  const apply = (...names: string[]) =>
    kubectl(state.kubeconfig, ['apply', ...names.flatMap((n) => ['-f', fixture(n)])]);
  const page = async (cookie?: string) => {
    const r = await http(`${productpage()}/productpage`, { headers: cookie ? { cookie } : {} });
    assert.equal(r.status, 200, `productpage answered ${r.status}`);
    return r;
  };
  /** Waits until the graph over the last 10 s satisfies `ok`; the message shows the last graph seen. */
  const graphUntil = async (what: string, ok: (g: ServiceGraph) => boolean) => {
    let last: ServiceGraph | null = null;
    try {
      return await until(what, async () => {
        last = await graph(state.api);
        return ok(last) ? last : undefined;
      });
    } catch (err) {
      const edges = (last as ServiceGraph | null)?.edges.map(
        (e) =>
          `${e.source} -> ${e.target} rps ${e.rps.toFixed(2)} err ${e.errorRate} ${JSON.stringify(e.responseFlags)}`,
      );
      throw new Error(`${(err as Error).message}\n${edges?.join('\n')}`);
    }
  };

  before(
    async () => {
      portBase = await freePortBase();
      const t0 = performance.now();
      demo = startDemo(dataDir, portBase, RATE);
      state = await waitReady(demo, FIRST_START_MS);
      process.stderr.write(`# trellis demo ready in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    },
    { timeout: FIRST_START_MS + 30_000 },
  );

  after(async () => {
    await demo?.interrupt(20_000);
    killAllOf(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes demo.json as the contract says, prints the console URL and the kubectl line, and every URL answers', async () => {
    assert.equal(state.ready, true);
    assert.equal(state.api, `http://127.0.0.1:${portBase}`);
    assert.equal(state.console, `http://127.0.0.1:${portBase + 2}`);
    assert.equal(state.kubeconfig, join(dataDir, 'kubeconfig'));
    assert.ok(existsSync(state.kubeconfig));
    for (const name of BOOKINFO)
      assert.ok(
        state.workloads.some((w) => w.name === name),
        `${name} listed`,
      );
    for (const w of state.workloads) {
      assert.deepEqual(Object.keys(w).sort(), [
        'adminPort',
        'inboundPort',
        'metricsPort',
        'name',
        'namespace',
        'version',
      ]);
      assert.equal(
        (await http(`http://127.0.0.1:${w.adminPort}/ready`)).status,
        200,
        `${w.name} sidecar ready`,
      );
      assert.match((await http(`http://127.0.0.1:${w.metricsPort}/metrics`)).body, /istio_requests_total/);
    }
    assert.equal((await http(`${state.api}/readyz`)).status, 200);
    assert.equal((await http(state.console)).status, 200);
    assert.match(demo.output(), new RegExp(`Console +${state.console}`));
    assert.match(demo.output(), /kubectl --kubeconfig \S+kubeconfig get vs -A/);
    assert.match(demo.output(), /ready in \d+\.\d s/);
    assert.match(await kubectl(state.kubeconfig, ['get', 'vs', '-A']), /^$|No resources found/);
    for (const name of ['controlplane', 'console', 'loadgen', 'productpage-v1', 'ratings-v1-sidecar'])
      assert.ok(existsSync(join(dataDir, 'logs', `${name}.log`)), `logs/${name}.log`);
  });

  it('productpage shows details and reviews, from all three reviews versions by default', async () => {
    const served = new Set<string>();
    for (let i = 0; i < 30 && served.size < 3; i++) {
      const r = await page();
      assert.match(r.body, /Book Details/);
      assert.match(r.body, /Book Reviews/);
      served.add(reviewsServedBy(r.body) ?? 'none');
    }
    assert.deepEqual([...served].sort(), ['reviews-v1', 'reviews-v2', 'reviews-v3']);
    // The load generator's traffic is meshed: its edge into productpage is in the graph.
    await graphUntil('loadgen -> productpage in the graph', (g) =>
      g.edges.some((e) => e.source.endsWith('/loadgen') && e.target.endsWith('/productpage-v1') && e.rps > 0),
    );
  });

  it('virtual-service-all-v1 + destination-rule-all: every request goes to reviews v1', async () => {
    await apply('destination-rule-all', 'virtual-service-all-v1');
    const jason = await loginAs(productpage(), 'jason');
    // Round robin over three versions never serves v1 six times in a row: once it does, the route applies.
    await until('six pages in a row from reviews v1', async () => {
      for (let i = 0; i < 6; i++) if (reviewsServedBy((await page()).body) !== 'reviews-v1') return false;
      return true;
    });
    for (let i = 0; i < 10; i++) {
      const r = await page(i % 2 ? jason : undefined);
      assert.equal(reviewsServedBy(r.body), 'reviews-v1');
      assert.deepEqual(starColors(r.body), [], 'v1 shows no stars');
    }
    const g = await graphUntil('reviews traffic only to v1', (g) => {
      const s = reviewsShares(g);
      return s.v1 === 1 && !s.v2 && !s.v3;
    });
    assert.equal(reviewsShares(g).v1, 1);
  });

  it('virtual-service-reviews-50-v3: half to v1, half to v3, on the page and in the telemetry graph', async () => {
    await apply('virtual-service-reviews-50-v3');
    await until('v3 on the page', async () => reviewsServedBy((await page()).body) === 'reviews-v3');
    const served: Record<string, number> = {};
    for (let i = 0; i < 30; i++) {
      const who = reviewsServedBy((await page()).body) ?? 'none';
      served[who] = (served[who] ?? 0) + 1;
    }
    assert.deepEqual(Object.keys(served).sort(), ['reviews-v1', 'reviews-v3'], JSON.stringify(served));
    const g = await graphUntil('a 50/50 v1/v3 split in destination_version shares', (g) => {
      const s = reviewsShares(g);
      return !s.v2 && (s.v1 ?? 0) > 0.3 && (s.v1 ?? 0) < 0.7 && (s.v3 ?? 0) > 0.3 && (s.v3 ?? 0) < 0.7;
    });
    const s = reviewsShares(g);
    assert.ok(Math.abs((s.v1 ?? 0) - 0.5) < 0.2 && Math.abs((s.v3 ?? 0) - 0.5) < 0.2, JSON.stringify(s));
  });

  it('virtual-service-reviews-test-v2: jason gets v2 (black stars), everyone else v1', async () => {
    await apply('virtual-service-reviews-test-v2');
    const jason = await loginAs(productpage(), 'jason');
    await until('jason on v2', async () => reviewsServedBy((await page(jason)).body) === 'reviews-v2');
    for (let i = 0; i < 5; i++) {
      const mine = await page(jason);
      assert.equal(reviewsServedBy(mine.body), 'reviews-v2');
      assert.deepEqual(starColors(mine.body), ['black', 'black']);
      assert.match(mine.body, /data-testid="user">jason/);
      assert.equal(reviewsServedBy((await page()).body), 'reviews-v1');
    }
    // The load generator sends 20 % of its requests as jason: about that share goes to v2.
    await graphUntil('v2 carrying the jason share, v1 the rest, v3 nothing', (g) => {
      const s = reviewsShares(g);
      return !s.v3 && (s.v2 ?? 0) > 0.05 && (s.v2 ?? 0) < 0.5 && (s.v1 ?? 0) > 0.5;
    });
  });

  it('virtual-service-ratings-test-delay: jason waits out productpage timeouts and sees the reviews error', async () => {
    await apply('virtual-service-ratings-test-delay');
    const jason = await loginAs(productpage(), 'jason');
    const r = await until('the delay to apply for jason', async () => {
      const p = await page(jason);
      return p.body.includes(REVIEWS_UNAVAILABLE) ? p : undefined;
    });
    // productpage gives up on reviews after 3 s and one retry (Istio's documented behaviour);
    // the 7 s delay is longer than that.
    assert.ok(r.ms >= 5000, `jason's page took ${Math.round(r.ms)} ms`);
    const anonymous = await page();
    assert.equal(reviewsServedBy(anonymous.body), 'reviews-v1');
    assert.ok(anonymous.ms < 5000, `others are not delayed (${Math.round(anonymous.ms)} ms)`);
    await graphUntil(
      'delay injected on reviews-v2 -> ratings and failed calls productpage -> reviews-v2',
      (g) => {
        const toRatings = g.edges.find(
          (e) => e.source.endsWith('/reviews-v2') && e.target.includes('ratings'),
        );
        const toV2 = g.edges.find(
          (e) => e.source.endsWith('/productpage-v1') && e.target.endsWith('/reviews-v2'),
        );
        return (toRatings?.responseFlags.DI ?? 0) > 0 && (toV2?.errorRate ?? 0) > 0.5;
      },
    );
  });

  it('virtual-service-ratings-test-abort: jason sees "Ratings service is currently unavailable"', async () => {
    await apply('virtual-service-ratings-test-abort');
    const jason = await loginAs(productpage(), 'jason');
    const r = await until('the abort to apply for jason', async () => {
      const p = await page(jason);
      return p.body.includes(RATINGS_UNAVAILABLE) ? p : undefined;
    });
    assert.equal(reviewsServedBy(r.body), 'reviews-v2');
    assert.deepEqual(starColors(r.body), []);
    assert.equal(reviewsServedBy((await page()).body), 'reviews-v1');
    await graphUntil('fault-injected 500s from reviews-v2 to ratings', (g) =>
      g.edges.some(
        (e) =>
          e.source.endsWith('/reviews-v2') &&
          e.target.includes('ratings') &&
          (e.responseFlags.FI ?? 0) > 0 &&
          (e.responseCodes['500'] ?? 0) > 0,
      ),
    );
  });

  it('STRICT mTLS mesh-wide: the meshed load keeps flowing over mTLS, plaintext to a sidecar is refused', async () => {
    const strict = join(dataDir, 'strict.yaml');
    writeFileSync(
      strict,
      'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: istio-system }\nspec: { mtls: { mode: STRICT } }\n',
    );
    await kubectl(state.kubeconfig, ['apply', '-f', strict]);
    await until("plaintext refused by productpage's sidecar", async () =>
      http(`${productpage()}/productpage`, { timeoutMs: 5000 }).then(
        (r) => r.status >= 500,
        () => true,
      ),
    );
    // Wait out requests from before the switch, then the whole window must be clean mTLS.
    await sleep(11_000);
    const g = await graphUntil('loadgen -> productpage over mTLS without errors', (g) =>
      g.edges.some(
        (e) =>
          e.source.endsWith('/loadgen') &&
          e.target.endsWith('/productpage-v1') &&
          e.rps > 0 &&
          e.mtlsShare === 1 &&
          e.errorRate === 0,
      ),
    );
    for (const e of g.edges.filter((e) => e.source.endsWith('/productpage-v1')))
      assert.equal(e.mtlsShare, 1, `${e.source} -> ${e.target} over mTLS`);
    await kubectl(state.kubeconfig, ['delete', '-f', strict]);
    await until(
      'plaintext accepted again (PERMISSIVE)',
      async () => (await http(`${productpage()}/productpage`)).status === 200,
    );
  });

  it('SIGINT stops every process it started and leaves none behind', async () => {
    const pids = readPidsFile(dataDir);
    const recorded = [
      pids.demo,
      ...(pids.watchdog ? [pids.watchdog] : []),
      ...pids.processes.map((p) => p.pid),
    ];
    assert.ok(pids.processes.length >= 15, `recorded ${pids.processes.length} processes`);
    const { code } = await demo.interrupt(30_000);
    assert.equal(code, 0, demo.output().slice(-2000));
    assert.equal(readState(dataDir)?.ready, false, 'demo.json says ready: false');
    // The watchdog may take a moment to notice the demo is gone and exit.
    await until('no demo process left', async () => processesOf(dataDir).length === 0, 10_000, 200).catch(
      () => {
        assert.deepEqual(processesOf(dataDir), []);
      },
    );
    for (const p of pids.processes) assert.equal(groupAlive(p.pid), false, `process group of ${p.name}`);
    for (const pid of recorded) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `pid ${pid}`);
  });

  it('a second start reuses the data directory: the applied objects survive and still route', async () => {
    const t0 = performance.now();
    demo = startDemo(dataDir, portBase, RATE);
    state = await waitReady(demo, 3 * 60_000);
    process.stderr.write(`# second start ready in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const vs = await kubectl(state.kubeconfig, ['get', 'vs', '-A', '-o', 'name']);
    assert.deepEqual(vs.trim().split('\n').sort(), [
      'virtualservice.networking.istio.io/details',
      'virtualservice.networking.istio.io/productpage',
      'virtualservice.networking.istio.io/ratings',
      'virtualservice.networking.istio.io/reviews',
    ]);
    const jason = await loginAs(productpage(), 'jason');
    assert.match((await page(jason)).body, new RegExp(RATINGS_UNAVAILABLE));
    assert.equal(reviewsServedBy((await page()).body), 'reviews-v1');
  });

  it('a killed service shows up as errors in telemetry, and the demo keeps running without restarting it', async () => {
    // Everyone to v3, which calls ratings on every request.
    await kubectl(state.kubeconfig, ['delete', '-f', fixture('virtual-service-ratings-test-abort')]);
    await kubectl(state.kubeconfig, ['apply', '-f', fixture('virtual-service-reviews-v3')]);
    await graphUntil('healthy reviews-v3 -> ratings-v1 traffic', (g) =>
      g.edges.some(
        (e) => e.source.endsWith('/reviews-v3') && e.target.endsWith('/ratings-v1') && e.errorRate === 0,
      ),
    );
    const ratings = readPidsFile(dataDir).processes.find((p) => p.name === 'ratings-v1')!;
    process.kill(ratings.pid, 'SIGKILL');

    await graphUntil('errors on reviews-v3 -> ratings-v1', (g) =>
      g.edges.some(
        (e) =>
          e.source.endsWith('/reviews-v3') &&
          e.target.endsWith('/ratings-v1') &&
          (e.errorRate ?? 0) > 0.5 &&
          (e.responseCodes['503'] ?? 0) > 0,
      ),
    );
    const r = await page();
    assert.equal(reviewsServedBy(r.body), 'reviews-v3');
    assert.match(r.body, new RegExp(RATINGS_UNAVAILABLE));
    assert.equal(demo.child.exitCode, null, 'the demo is still running');
    assert.equal(readState(dataDir)?.ready, true);
    assert.match(demo.output(), /ratings-v1 +exited +was killed by SIGKILL; not restarted/);
    await sleep(1000);
    assert.equal(
      readPidsFile(dataDir).processes.some((p) => p.name === 'ratings-v1'),
      false,
      'not restarted',
    );
    assert.equal((await http(`${state.console}/api/overview`)).status, 200, 'the console still answers');
  });

  it('SIGINT stops it again with nothing left', async () => {
    const pids = readPidsFile(dataDir);
    const { code } = await demo.interrupt(30_000);
    assert.equal(code, 0, demo.output().slice(-2000));
    await until('no demo process left', async () => processesOf(dataDir).length === 0, 10_000, 200).catch(
      () => {
        assert.deepEqual(processesOf(dataDir), []);
      },
    );
    for (const p of pids.processes) assert.equal(groupAlive(p.pid), false, `process group of ${p.name}`);
  });
});
