import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bookinfoReviews,
  kubectl,
  newAgent,
  type Reply,
  reviewsWeights,
  splitManifest,
  startControlPlane,
  tally,
  tempDir,
  until,
  viaSidecar,
} from './e2e-harness';

const RATE = 50; // requests per second
const SECONDS = 30;
const CHANGE_EVERY_MS = 200;

it('changing weights every 200 ms for 30 s under a steady 50 rps fails zero requests', async (t) => {
  const cp = await startControlPlane(t, tempDir(t, 'trellis-e2e-churn-'));
  const { pp } = await bookinfoReviews(t, cp);
  const agent = newAgent(t);
  await kubectl(cp, ['apply'], splitManifest(50, 50));
  await until('productpage sidecar applies 50/50', async () => (await reviewsWeights(pp.admin)).v2 === 50);

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
  assert.ok(changes >= 60, `the weights changed ${changes} times`);
  assert.equal(failed.length, 0, `failed requests: ${JSON.stringify(counts)}`);
  assert.ok((counts.v1 ?? 0) > 0 && (counts.v2 ?? 0) > 0, `both versions served: ${JSON.stringify(counts)}`);

  const proxies = (await (await fetch(`${cp.url}/api/v1/mesh/proxies`)).json()) as {
    id: string;
    pushes: number;
  }[];
  const pushes = proxies.find((p) => p.id === 'productpage-v1.default')?.pushes ?? 0;
  assert.ok(pushes >= 20, `the sidecar was pushed ${pushes} new configs during the churn`);
  t.diagnostic(
    `${replies.length} requests ${JSON.stringify(counts)}, ${changes} weight changes, ${pushes} pushes`,
  );
});
