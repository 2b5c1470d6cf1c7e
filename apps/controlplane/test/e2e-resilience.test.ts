import assert from 'node:assert/strict';
import { it } from 'node:test';
import {
  bookinfoReviews,
  kubectl,
  load,
  newAgent,
  reviewsWeights,
  splitManifest,
  startControlPlane,
  tally,
  tempDir,
  trellisStatus,
  until,
} from './e2e-harness';

/**
 * Valid RE2 on its own (validation accepts it: `\Q` quotes to the end of the pattern), but a
 * proxy that anchors it as `^(?:…)$` quotes its own closing parenthesis and cannot compile it.
 * If the proxy learns to anchor such patterns, this needs another config it cannot apply.
 */
const UNCOMPILABLE_REGEX = String.raw`\Q/api/v1.0`;

function nackManifest(): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: default }
spec:
  hosts: [reviews]
  http:
  - match:
    - uri: { regex: '${UNCOMPILABLE_REGEX}' }
    route:
    - { destination: { host: reviews, subset: v1 } }
  - route:
    - { destination: { host: reviews, subset: v1 }, weight: 100 }
    - { destination: { host: reviews, subset: v2 }, weight: 0 }
`;
}

it('proxies keep serving when the control plane dies, resync when it returns, and keep the old config on NACK', async (t) => {
  const dataDir = tempDir(t, 'trellis-e2e-resilience-');
  let cp = await startControlPlane(t, dataDir);
  const ports = { http: Number(new URL(cp.url).port), grpc: Number(cp.grpc.split(':')[1]) };
  const { pp } = await bookinfoReviews(t, cp);
  const agent = newAgent(t);

  await kubectl(cp, ['apply'], splitManifest(50, 50));
  await until('productpage sidecar applies 50/50', async () => (await reviewsWeights(pp.admin)).v2 === 50);
  const synced = await until('trellis status: all SYNCED', async () => {
    const s = await trellisStatus(cp.url);
    return s.rows.length === 3 && s.rows.every((r) => r.state === 'SYNCED') ? s : undefined;
  });
  const version = synced.rows.find((r) => r.name === 'productpage-v1.default')?.version;

  // (1) The control plane goes away: traffic keeps flowing on the last config.
  await cp.proc.stop('SIGKILL');
  const outage = tally(await load(pp.outbound, agent, 400, 4));
  assert.equal(
    (outage.v1 ?? 0) + (outage.v2 ?? 0),
    400,
    `all requests served during the outage: ${JSON.stringify(outage)}`,
  );
  assert.ok((outage.v1 ?? 0) > 100 && (outage.v2 ?? 0) > 100, `still split 50/50: ${JSON.stringify(outage)}`);
  const down = await trellisStatus(cp.url);
  assert.equal(down.code, 1, 'trellis status fails while the control plane is down');

  // (2) It comes back on the same ports and data: the sidecars reconnect and sync.
  cp = await startControlPlane(t, dataDir, ports);
  await until(
    'trellis status: all SYNCED again',
    async () => {
      const s = await trellisStatus(cp.url);
      return s.rows.length === 3 && s.rows.every((r) => r.state === 'SYNCED');
    },
    20_000,
  );
  t.diagnostic(`productpage was at version ${version} before the restart`);
  assert.deepEqual(await reviewsWeights(pp.admin), { v1: 50, v2: 50 });

  // (3) A config the proxies cannot apply: NACKED, and the old config keeps serving.
  await kubectl(cp, ['apply'], nackManifest());
  const nacked = await until('trellis status: productpage NACKED', async () => {
    const s = await trellisStatus(cp.url);
    const row = s.rows.find((r) => r.name === 'productpage-v1.default');
    return row?.state === 'NACKED' ? row : undefined;
  });
  assert.match(nacked.error, /regex/i, `the proxy's reason is shown: ${nacked.error}`);
  const during = tally(await load(pp.outbound, agent, 200, 4));
  assert.ok(
    (during.v1 ?? 0) > 40 && (during.v2 ?? 0) > 40,
    `the 50/50 config still serves: ${JSON.stringify(during)}`,
  );
  assert.deepEqual(await reviewsWeights(pp.admin), { v1: 50, v2: 50 });

  // (4) A fixed config is accepted again.
  await kubectl(cp, ['apply'], splitManifest(100, 0));
  await until('trellis status: productpage SYNCED after the fix', async () => {
    const s = await trellisStatus(cp.url);
    return s.rows.find((r) => r.name === 'productpage-v1.default')?.state === 'SYNCED';
  });
  const after = tally(await load(pp.outbound, agent, 50, 2));
  assert.deepEqual(after, { v1: 50 });
});
