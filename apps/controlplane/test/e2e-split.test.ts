import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bookinfoReviews,
  kubectl,
  load,
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

it('a 90/10 split lands within ±3 points over 2,000 requests; 0/100 moves all new traffic within 2 s', async (t) => {
  const cp = await startControlPlane(t, tempDir(t, 'trellis-e2e-split-'));
  const { pp } = await bookinfoReviews(t, cp);
  const agent = newAgent(t);

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
  assert.ok(late.length >= 20, `enough traffic after the switch window (${late.length} requests)`);
  assert.deepEqual(tally(late), { v2: late.length }, 'all traffic on v2 from 2 s after the apply');
  assert.ok(
    during.every((r) => r.status === 200),
    `no failed request during the switch: ${JSON.stringify(tally(during))}`,
  );
  const lastV1 = Math.max(0, ...during.filter((r) => r.body === 'v1').map((r) => r.startedAt - applied));
  t.diagnostic(`last request routed to v1 started ${lastV1} ms after kubectl apply returned`);
});
