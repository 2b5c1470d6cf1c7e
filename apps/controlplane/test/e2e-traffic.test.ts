/**
 * Config push under real traffic, on one mesh of real processes (control plane, three sidecars,
 * two reviews versions): a weighted split lands as configured, a switch reaches all new traffic
 * within 2 s of `kubectl apply`, and weights changing every 200 ms under steady load fail nothing.
 */
import assert from 'node:assert/strict';
import type { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bookinfoReviews,
  type ControlPlane,
  kubectl,
  load,
  newAgent,
  type Reply,
  reviewsWeights,
  type Sidecar,
  splitManifest,
  startControlPlane,
  suiteContext,
  tally,
  tempDir,
  until,
  viaSidecar,
} from './e2e-harness';

const RATE = 50; // requests per second
const SECONDS = 30;
const CHANGE_EVERY_MS = 200;

describe('config push under traffic', () => {
  const ctx = suiteContext();
  let cp: ControlPlane;
  let pp: Sidecar;
  let agent: Agent;

  before(async () => {
    cp = await startControlPlane(ctx, tempDir(ctx, 'trellis-e2e-traffic-'));
    ({ pp } = await bookinfoReviews(ctx, cp));
    agent = newAgent(ctx);
  });
  after(() => ctx.run());

  it('a 90/10 split lands within ±3 points over 2,000 requests; 0/100 moves all new traffic within 2 s', async (t) => {
    await kubectl(cp, ['apply'], splitManifest(90, 10));
    await until('productpage sidecar applies 90/10', async () => {
      const w = await reviewsWeights(pp.admin);
      return w.v1 === 90 && w.v2 === 10;
    });

    const replies = await load(pp.outbound, agent, 2000, 8);
    const counts = tally(replies);
    assert.equal(
      (counts.v1 ?? 0) + (counts.v2 ?? 0),
      2000,
      `every request answered by v1 or v2: ${JSON.stringify(counts)}`,
    );
    const v2Share = ((counts.v2 ?? 0) / 2000) * 100;
    assert.ok(Math.abs(v2Share - 10) <= 3, `v2 got ${v2Share.toFixed(1)}% of 2,000 requests (want 10 ± 3)`);

    // Flip to 0/100 while traffic flows; every request started 2 s after the apply must reach v2.
    const during: Reply[] = [];
    let sending = true;
    const sender = (async () => {
      while (sending) during.push(await viaSidecar(pp.outbound, agent));
    })();
    await sleep(200);
    await kubectl(cp, ['apply'], splitManifest(0, 100));
    const applied = Date.now();
    await sleep(3500);
    sending = false;
    await sender;

    const late = during.filter((r) => r.startedAt >= applied + 2000);
    assert.ok(late.length >= 10, `enough traffic after the switch window (${late.length} requests)`);
    assert.deepEqual(tally(late), { v2: late.length }, 'all traffic on v2 from 2 s after the apply');
    assert.ok(
      during.every((r) => r.status === 200),
      `no failed request during the switch: ${JSON.stringify(tally(during))}`,
    );
    const lastV1 = Math.max(0, ...during.filter((r) => r.body === 'v1').map((r) => r.startedAt - applied));
    t.diagnostic(`last request routed to v1 started ${lastV1} ms after kubectl apply returned`);
  });

  it('changing weights every 200 ms for 30 s under a steady 50 rps fails zero requests', async (t) => {
    await kubectl(cp, ['apply'], splitManifest(50, 50));
    await until('productpage sidecar applies 50/50', async () => (await reviewsWeights(pp.admin)).v2 === 50);
    const pushesBefore = await pushesOf(cp, 'productpage-v1.default');

    const started = Date.now();
    const deadline = started + SECONDS * 1000;

    // The weights move every 200 ms through the resource API (the JSON merge patch kubectl sends).
    let changes = 0;
    let patchFailures = 0;
    const churn = (async () => {
      while (Date.now() < deadline) {
        changes += 1;
        const v2 = (changes * 17) % 101;
        const res = await fetch(
          `${cp.url}/apis/networking.istio.io/v1/namespaces/default/virtualservices/reviews`,
          {
            method: 'PATCH',
            headers: { 'content-type': 'application/merge-patch+json' },
            body: JSON.stringify({
              spec: {
                http: [
                  {
                    route: [
                      { destination: { host: 'reviews', subset: 'v1' }, weight: 100 - v2 },
                      { destination: { host: 'reviews', subset: 'v2' }, weight: v2 },
                    ],
                  },
                ],
              },
            }),
          },
        );
        if (!res.ok) patchFailures += 1;
        await res.arrayBuffer();
        await sleep(CHANGE_EVERY_MS);
      }
    })();

    // Open-loop load: one request every 20 ms whatever the previous ones do.
    const inFlight: Promise<Reply>[] = [];
    for (let i = 0; i < RATE * SECONDS; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      inFlight.push(viaSidecar(pp.outbound, agent));
    }
    const replies = await Promise.all(inFlight);
    await churn;

    const counts = tally(replies);
    const failed = replies.filter((r) => r.status !== 200);
    assert.equal(patchFailures, 0, 'every weight change was accepted');
    assert.ok(changes >= 30, `the weights changed ${changes} times`);
    assert.equal(failed.length, 0, `failed requests: ${JSON.stringify(counts)}`);
    assert.ok(
      (counts.v1 ?? 0) > 0 && (counts.v2 ?? 0) > 0,
      `both versions served: ${JSON.stringify(counts)}`,
    );
    const pushes = (await pushesOf(cp, 'productpage-v1.default')) - pushesBefore;
    assert.ok(pushes >= 15, `the sidecar was pushed ${pushes} new configs during the churn`);
    t.diagnostic(
      `${replies.length} requests ${JSON.stringify(counts)}, ${changes} weight changes, ${pushes} pushes`,
    );
  });
});

async function pushesOf(cp: ControlPlane, id: string): Promise<number> {
  const proxies = (await (await fetch(`${cp.url}/api/v1/mesh/proxies`)).json()) as {
    id: string;
    pushes: number;
  }[];
  return proxies.find((p) => p.id === id)?.pushes ?? 0;
}
