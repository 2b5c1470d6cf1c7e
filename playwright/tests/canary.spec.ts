// The canary slider against a real `trellis controlplane`: weights written through the console are
// read back through the control plane's API. Observed shares come from the graph overlay
// (support/real-control-plane.ts): no sidecars run here, so the graph is the one test double.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ProxyStatus } from '@trellis/controlplane/xds/status';
import type { ServiceGraph } from '@trellis/shared/telemetry-api';
import { CanaryPage } from '../pages/canary-page';
import { type Proc, ROOT } from '../support/processes';
import {
  DR_PATH,
  type RealControlPlane,
  type StoredObject,
  startRealControlPlane,
  startReviewsSidecar,
  VS_PATH,
} from '../support/real-control-plane';

const SHOTS = join(ROOT, 'test-results/console');
const FIXTURES = join(ROOT, 'packages/shared/fixtures/bookinfo');
const REVIEWS = 'reviews.default.svc.cluster.local';

/** productpage → reviews at `rps` per reviews version; a version at 0 runs but receives nothing. */
function graphOf(rps: Record<string, number>): ServiceGraph {
  const endMs = Date.now();
  const sig = (rps: number) => ({ rps, errorRate: 0, p50Ms: 5, p95Ms: 9, p99Ms: 12 });
  const wl = (name: string, app: string, version: string, rps: number) => ({
    id: `workload:default/${name}`,
    kind: 'workload' as const,
    namespace: 'default',
    workload: name,
    app,
    version,
    services: [`${app}.default.svc.cluster.local`],
    inbound: sig(rps),
    outboundRps: 0,
  });
  const edge = (target: string, rps: number) => ({
    id: `workload:default/productpage-v1->workload:default/${target}|http`,
    source: 'workload:default/productpage-v1',
    target: `workload:default/${target}`,
    protocol: 'http' as const,
    destinationService: REVIEWS,
    mtlsShare: 1,
    responseCodes: { '200': rps },
    responseFlags: {},
    ...sig(rps),
  });
  const versions = Object.entries(rps);
  return {
    backend: 'builtin',
    window: { startMs: endMs - 60_000, endMs, windowSeconds: 60 },
    nodes: [
      wl(
        'productpage-v1',
        'productpage',
        'v1',
        versions.reduce((a, [, r]) => a + r, 0),
      ),
      ...versions.map(([v, r]) => wl(`reviews-${v}`, 'reviews', v, r)),
    ],
    edges: versions.filter(([, r]) => r > 0).map(([v, r]) => edge(`reviews-${v}`, r)),
  };
}

/** 7 rps into v1, 3 rps into v3 (a 70/30 split, as if 70/30 were set). */
const graph = () => graphOf({ v1: 7, v3: 3 });

const virtualService = (w1: number, w3: number) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: {
    hosts: ['reviews'],
    http: [
      {
        name: 'jason',
        match: [{ headers: { 'end-user': { exact: 'jason' } } }],
        route: [{ destination: { host: 'reviews', subset: 'v2' } }],
      },
      {
        name: 'split',
        retries: { attempts: 2, perTryTimeout: '1s' },
        route: [
          { destination: { host: 'reviews', subset: 'v1' }, weight: w1 },
          { destination: { host: 'reviews', subset: 'v3' }, weight: w3 },
        ],
      },
    ],
  },
});

const weightsOf = (vs: StoredObject | null) =>
  ((vs?.spec.http as { route: { weight?: number }[] }[] | undefined)?.[1]?.route ?? []).map((d) => d.weight);

test.describe('canary slider', () => {
  test.describe.configure({ mode: 'serial' });
  let cp: RealControlPlane;
  let consoleUrl: string;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    cp = await startRealControlPlane({ graph });
    consoleUrl = await cp.startConsole();
    const dr = await cp.api.send('POST', DR_PATH('default'), {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        host: 'reviews',
        subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
      },
    });
    expect(dr.status).toBe(201);
  });
  test.afterAll(async () => {
    await cp?.stop();
  });

  test.beforeEach(async () => {
    // Each test starts from 50/50.
    await cp.api.send('DELETE', VS_PATH('default', 'reviews'), undefined);
    expect((await cp.api.send('POST', VS_PATH('default'), virtualService(50, 50))).status).toBe(201);
  });

  test('dragging to 70/30 and Apply stores 70/30, keeping the rest of the route', async ({ page }) => {
    const canary = new CanaryPage(page);
    await canary.goto(consoleUrl, 'default', 'reviews');
    await expect(canary.heading).toHaveText('Canary: reviews');
    // The split route, and the header-matched route to v2 alone (listed because v1 or v3 could be
    // added to it); a single destination has no slider until a version is added.
    await expect(canary.routes).toHaveCount(2);
    await expect(canary.routes.first()).toHaveAttribute('data-index', '0');
    await expect(canary.destination('v2').getByTestId('weight-value')).toHaveText('100');
    await expect(canary.sliders).toHaveCount(2);
    // Set 50/50, observed 70/30 (from the graph's edges into each version's workload).
    await expect(canary.destination('v1').getByTestId('observed')).toHaveText('70% · 7.00 rps');
    await expect(canary.destination('v3').getByTestId('observed')).toHaveText('30% · 3.00 rps');
    await expect.poll(() => canary.weights()).toEqual([50, 50]);
    await canary.screenshot(join(SHOTS, 'canary-loaded.png'));

    await canary.dragTo('v1', 70);
    await expect.poll(() => canary.weights()).toEqual([70, 30]);
    await canary.apply.click();
    await expect(canary.applyOk).toContainText('70 / 30');

    const stored = await cp.api.get(VS_PATH('default', 'reviews'));
    expect(weightsOf(stored)).toEqual([70, 30]);
    const http = stored?.spec.http as { name: string; retries?: unknown }[];
    expect(http[0]?.name).toBe('jason');
    expect(http[1]?.retries).toEqual({ attempts: 2, perTryTimeout: '1s' });
    const [latest] = (await cp.api.history('VirtualService', 'default', 'reviews')).items;
    expect(latest?.verb).toBe('update');
    expect(latest?.actor).toBe('anonymous');
    await canary.screenshot(join(SHOTS, 'canary-applied.png'));
  });

  test('a change by someone else in between comes back as 409 and stores nothing', async ({ page }) => {
    const canary = new CanaryPage(page);
    await canary.goto(consoleUrl, 'default', 'reviews');
    await canary.dragTo('v1', 70);

    // Someone else moves the split to 60/40 while the page holds 70/30 unsaved.
    const before = await cp.api.get(VS_PATH('default', 'reviews'));
    const theirs = virtualService(60, 40);
    const put = await cp.api.send(
      'PUT',
      VS_PATH('default', 'reviews'),
      { ...theirs, metadata: { ...theirs.metadata, resourceVersion: before?.metadata.resourceVersion } },
      { actor: 'bob' },
    );
    expect(put.status).toBe(200);
    const theirVersion = (await cp.api.get(VS_PATH('default', 'reviews')))?.metadata.resourceVersion;

    await canary.apply.click();
    await expect(canary.writeError).toHaveAttribute('data-code', 'CONTROL_PLANE_CONFLICT');
    await expect(canary.writeError).toContainText('Changed by someone else');
    await expect(canary.writeError).toContainText('Reload');
    const after = await cp.api.get(VS_PATH('default', 'reviews'));
    expect(weightsOf(after)).toEqual([60, 40]);
    expect(after?.metadata.resourceVersion).toBe(theirVersion);
    expect((await cp.api.history('VirtualService', 'default', 'reviews')).items[0]?.actor).toBe('bob');
    await canary.screenshot(join(SHOTS, 'canary-conflict.png'));

    await canary.reload.click();
    await expect(canary.writeError).toHaveCount(0);
    await expect.poll(() => canary.weights()).toEqual([60, 40]);
  });

  test('a write sent from another site is refused, even to an operator, and stores nothing', async ({
    page,
  }) => {
    const before = await cp.api.get(VS_PATH('default', 'reviews'));
    const res = await page.request.put(`${consoleUrl}/api/canary/default/reviews`, {
      headers: { origin: 'http://evil.example' },
      data: {
        virtualService: 'reviews',
        resourceVersion: before?.metadata.resourceVersion,
        routes: [{ index: 1, weights: [0, 100] }],
      },
    });
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_CROSS_ORIGIN');
    expect(await cp.api.get(VS_PATH('default', 'reviews'))).toEqual(before);
  });

  test('a weight the control plane refuses shows its 422 with the field path, and stores nothing', async ({
    page,
  }) => {
    const canary = new CanaryPage(page);
    // The slider cannot make a negative weight; rewrite the browser's request as a buggy or forged
    // client would. The console and the control plane behind it are real.
    await page.route('**/api/canary/default/reviews', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      const body = route.request().postDataJSON() as { routes: { index: number; weights: number[] }[] };
      body.routes = body.routes.map((r) => ({ ...r, weights: [-10, 110] }));
      await route.continue({ postData: JSON.stringify(body) });
    });
    await canary.goto(consoleUrl, 'default', 'reviews');
    const rv = (await cp.api.get(VS_PATH('default', 'reviews')))?.metadata.resourceVersion;
    await canary.dragTo('v1', 80);
    await canary.apply.click();
    await expect(canary.writeError).toHaveAttribute('data-code', 'CONTROL_PLANE_INVALID');
    await expect(canary.writeErrorCauses).toContainText('spec.http[1].route[0].weight: weight -10 < 0');
    const after = await cp.api.get(VS_PATH('default', 'reviews'));
    expect(weightsOf(after)).toEqual([50, 50]);
    expect(after?.metadata.resourceVersion).toBe(rv);
    await canary.screenshot(join(SHOTS, 'canary-invalid.png'));
  });
});

/** All 10 rps into v1; a v2 workload runs but receives nothing; no v3 workload. */
const startGraph = () => graphOf({ v1: 10, v2: 0 });

type Route = { route: { destination: { host: string; subset?: string }; weight?: number }[] };
const routeOf = (vs: StoredObject | null) => (vs?.spec.http as Route[] | undefined)?.[0]?.route;

test.describe('starting a canary', () => {
  test.describe.configure({ mode: 'serial' });
  let cp: RealControlPlane;
  let consoleUrl: string;
  const kubectl = (...args: string[]) =>
    // The control plane's warnings (no registry entry for bookinfo's hosts: no workloads run here)
    // are expected; a refusal still throws with kubectl's stderr.
    execFileSync('kubectl', ['--kubeconfig', join(cp.dataDir, 'kubeconfig'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    cp = await startRealControlPlane({ graph: startGraph });
    consoleUrl = await cp.startConsole();
    // What an operator has at a release: Istio's bookinfo subsets, and every service on v1 alone.
    kubectl('apply', '-f', join(FIXTURES, 'destination-rule-all.yaml'));
  });
  test.afterAll(async () => {
    await cp?.stop();
  });

  test.beforeEach(async () => {
    // Each test starts from reviews → v1 (100 %), as virtual-service-all-v1.yaml has it.
    await cp.api.send('DELETE', VS_PATH('default', 'reviews'), undefined);
    kubectl('apply', '-f', join(FIXTURES, 'virtual-service-all-v1.yaml'));
    expect(routeOf(await cp.api.get(VS_PATH('default', 'reviews')))).toEqual([
      { destination: { host: 'reviews', subset: 'v1' } },
    ]);
  });

  test('the list offers the services whose route can start a canary', async ({ page }) => {
    const canary = new CanaryPage(page);
    await page.goto(`${consoleUrl}/canary`);
    // productpage's DestinationRule has v1 only: nothing to add, so it is not offered.
    await expect(canary.candidates).toHaveText([
      /^default\/details\s+VirtualService details, 1 route can start a canary$/,
      /^default\/ratings\s+VirtualService ratings, 1 route can start a canary$/,
      /^default\/reviews\s+VirtualService reviews, 1 route can start a canary$/,
    ]);
  });

  test('an operator adds v2 at 0 %, slides it to 10 % and Apply stores v1 90 / v2 10, nothing else', async ({
    page,
  }) => {
    const others = await Promise.all(
      ['productpage', 'ratings', 'details'].map((n) => cp.api.get(VS_PATH('default', n))),
    );
    const before = await cp.api.get(VS_PATH('default', 'reviews'));
    const canary = new CanaryPage(page);
    await canary.goto(consoleUrl, 'default', 'reviews');
    await expect(canary.routes).toHaveCount(1);
    await expect(canary.destination('v1').getByTestId('weight-value')).toHaveText('100');
    await expect(canary.sliders).toHaveCount(0);
    // Write controls appear once who-am-I has answered: wait for them rather than read once.
    await expect.poll(() => canary.addOptions()).toEqual(['v2', 'v3']);

    // A drafted version goes away with Reset.
    await canary.add('v3');
    await expect(canary.destination('v3').getByTestId('observed')).toHaveText('—');
    await canary.reset.click();
    await expect(canary.destination('v3')).toHaveCount(0);
    await expect(canary.apply).toBeDisabled();

    await canary.add('v2');
    await expect.poll(() => canary.weights()).toEqual([100, 0]);
    // v2 runs but receives nothing yet: its rate, with no share of this route.
    await expect(canary.destination('v2').getByTestId('observed')).toHaveText('0 rps');
    await expect(canary.destination('v1').getByTestId('observed')).toHaveText('100% · 10.0 rps');
    await expect.poll(() => canary.addOptions()).toEqual(['v3']);
    // A draft writes nothing.
    expect(await cp.api.get(VS_PATH('default', 'reviews'))).toEqual(before);

    await canary.dragTo('v2', 10);
    await expect.poll(() => canary.weights()).toEqual([90, 10]);
    await expect(canary.page.getByTestId('set-bar')).toContainText('90%');
    await canary.screenshot(join(SHOTS, 'canary-start.png'));
    await canary.apply.click();
    await expect(canary.applyOk).toContainText('90 / 10');

    const stored = await cp.api.get(VS_PATH('default', 'reviews'));
    expect(routeOf(stored)).toEqual([
      { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
      { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
    ]);
    expect(stored?.spec.hosts).toEqual(['reviews']);
    const [latest] = (await cp.api.history('VirtualService', 'default', 'reviews')).items;
    expect(latest?.verb).toBe('update');
    expect(latest?.actor).toBe('anonymous');
    expect(
      await Promise.all(['productpage', 'ratings', 'details'].map((n) => cp.api.get(VS_PATH('default', n)))),
    ).toEqual(others);
    // Stored now: v2 is an ordinary destination, and only v3 is left to add.
    await expect(canary.destination('v2')).not.toHaveAttribute('data-drafted', 'true');
    await expect.poll(() => canary.addOptions()).toEqual(['v3']);
    await canary.screenshot(join(SHOTS, 'canary-started.png'));
  });

  test('a change by someone else after the page loaded comes back as a conflict and stores nothing', async ({
    page,
  }) => {
    const canary = new CanaryPage(page);
    await canary.goto(consoleUrl, 'default', 'reviews');
    await canary.add('v2');
    await canary.dragTo('v2', 10);

    // Meanwhile bob gives the route a timeout (same destinations, a newer resourceVersion).
    const loaded = await cp.api.get(VS_PATH('default', 'reviews'));
    const http = structuredClone(loaded?.spec.http as Record<string, unknown>[]);
    http[0] = { ...http[0], timeout: '5s' };
    const put = await cp.api.send(
      'PUT',
      VS_PATH('default', 'reviews'),
      { ...loaded, spec: { ...loaded?.spec, http } },
      {
        actor: 'bob',
      },
    );
    expect(put.status).toBe(200);
    const theirs = await cp.api.get(VS_PATH('default', 'reviews'));

    await canary.apply.click();
    await expect(canary.writeError).toHaveAttribute('data-code', 'CONTROL_PLANE_CONFLICT');
    await expect(canary.writeError).toContainText('Changed by someone else');
    expect(await cp.api.get(VS_PATH('default', 'reviews'))).toEqual(theirs);
    expect(routeOf(theirs)).toEqual([{ destination: { host: 'reviews', subset: 'v1' } }]);
    expect((await cp.api.history('VirtualService', 'default', 'reviews')).items[0]?.actor).toBe('bob');
    await canary.screenshot(join(SHOTS, 'canary-start-conflict.png'));

    // Reload drops the draft and shows the stored route.
    await canary.reload.click();
    await expect(canary.destination('v2')).toHaveCount(0);
    await expect(canary.destination('v1').getByTestId('weight-value')).toHaveText('100');
  });

  test('a subset the DestinationRule does not define is refused with its field path, and stores nothing', async ({
    page,
  }) => {
    const before = await cp.api.get(VS_PATH('default', 'reviews'));
    const res = await page.request.put(`${consoleUrl}/api/canary/default/reviews`, {
      data: {
        virtualService: 'reviews',
        resourceVersion: before?.metadata.resourceVersion,
        routes: [{ index: 0, weights: [90, 10], add: ['v9'] }],
      },
    });
    expect(res.status()).toBe(422);
    const body = (await res.json()) as {
      error: { code: string; causes: { field: string; message: string }[] };
    };
    expect(body.error.code).toBe('INVALID_CHANGE');
    expect(body.error.causes).toEqual([
      {
        field: 'spec.http[0].route[1].destination.subset',
        message: 'subset v9 is not defined by a DestinationRule for reviews.default.svc.cluster.local',
      },
    ]);
    expect(await cp.api.get(VS_PATH('default', 'reviews'))).toEqual(before);
  });

  test('a viewer sees the route but no Add control', async ({ page }) => {
    test.setTimeout(120_000);
    const viewerUrl = await cp.startConsole({ TRELLIS_CONSOLE_ANONYMOUS_ROLE: 'viewer' });
    const canary = new CanaryPage(page);
    await canary.goto(viewerUrl, 'default', 'reviews');
    await expect(canary.destination('v1').getByTestId('weight-value')).toHaveText('100');
    await expect(canary.readonlyNote).toBeVisible();
    await expect(canary.addVersion).toHaveCount(0);
    await expect(canary.apply).toHaveCount(0);
  });
});

test.describe('creating traffic shifting for a service with versions and no VirtualService', () => {
  test.describe.configure({ mode: 'serial' });
  let cp: RealControlPlane;
  let consoleUrl: string;
  let app: Server;
  const sidecars: Proc[] = [];
  const reviewsRoute = (vs: StoredObject | null) => (vs?.spec.http as Route[] | undefined)?.[0]?.route;

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    cp = await startRealControlPlane();
    consoleUrl = await cp.startConsole();
    // One workload answers for all three versions: only the sidecars' labels matter here.
    app = createServer((_req, res) => res.end('reviews'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const appPort = (app.address() as AddressInfo).port;
    for (const v of ['v1', 'v2', 'v3']) sidecars.push(await startReviewsSidecar(cp, v, appPort));
    // The versions the page offers are the control plane's proxy list: wait until all three synced.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await fetch(`${cp.api.url}/api/v1/mesh/proxies`);
      const list = (await res.json()) as ProxyStatus[];
      if (list.filter((p) => p.workload.startsWith('reviews-') && p.state === 'SYNCED').length === 3) break;
      if (Date.now() > deadline)
        throw new Error(`the sidecars did not sync:\n${sidecars.map((p) => p.output()).join('\n')}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  });
  test.afterAll(async () => {
    await Promise.all(sidecars.map((p) => p.stop()));
    await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
    await cp?.stop();
  });

  test('a viewer sees the versions read-only, with no Create button', async ({ page }) => {
    test.setTimeout(120_000);
    const viewerUrl = await cp.startConsole({ TRELLIS_CONSOLE_ANONYMOUS_ROLE: 'viewer' });
    const canary = new CanaryPage(page);
    await canary.goto(viewerUrl, 'default', 'reviews');
    await expect(canary.shiftVersions).toHaveCount(3);
    await expect(page.getByTestId('shift-weight-value')).toHaveText(['100', '0', '0']);
    await expect(canary.readonlyNote).toBeVisible();
    await expect(canary.createButton).toHaveCount(0);
    await expect(page.getByTestId('shift-weight')).toHaveCount(0);
  });

  test('a VirtualService refused after the DestinationRule was created: the rule is deleted again', async ({
    page,
  }) => {
    // A VirtualService named reviews that routes something else: the page still offers creation,
    // and the POST of the VirtualService answers 409 after the DestinationRule was written.
    const squatter = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: { hosts: ['ratings'], http: [{ route: [{ destination: { host: 'ratings' } }] }] },
    };
    expect((await cp.api.send('POST', VS_PATH('default'), squatter)).status).toBe(201);
    try {
      const res = await page.request.post(`${consoleUrl}/api/canary/default/reviews`, {
        data: { versions: ['v1', 'v2', 'v3'], weights: [90, 10, 0] },
      });
      expect(res.status()).toBe(409);
      const body = (await res.json()) as { error: { code: string; detail: string } };
      expect(body.error.code).toBe('CONTROL_PLANE_CONFLICT');
      expect(body.error.detail).toContain(
        'The DestinationRule default/reviews created for it was deleted again',
      );
      expect(await cp.api.get(DR_PATH('default', 'reviews'))).toBeNull();
      const verbs = (await cp.api.history('DestinationRule', 'default', 'reviews')).items.map((h) => h.verb);
      expect(verbs).toEqual(['delete', 'create']);
      expect(reviewsRoute(await cp.api.get(VS_PATH('default', 'reviews')))).toEqual([
        { destination: { host: 'ratings' } },
      ]);
    } finally {
      await cp.api.send('DELETE', VS_PATH('default', 'reviews'), undefined);
    }
  });

  test('an operator sets v1 90 / v2 10 / v3 0 and Create writes both objects; a second Create is a 409 that changes nothing', async ({
    page,
    browser,
  }) => {
    expect(await cp.api.get(VS_PATH('default', 'reviews'))).toBeNull();
    expect(await cp.api.get(DR_PATH('default', 'reviews'))).toBeNull();
    // The list without ?service= offers reviews: three versions, no VirtualService.
    await page.goto(`${consoleUrl}/canary`);
    await expect(page.getByTestId('canary-unrouted').locator('li')).toHaveText([
      /^default\/reviews\s+versions v1, v2, v3: create traffic shifting$/,
    ]);
    await page.screenshot({ path: join(SHOTS, 'canary-list-unrouted.png'), fullPage: true });
    await page.getByTestId('canary-unrouted').getByRole('link', { name: 'default/reviews' }).click();
    await expect(page).toHaveURL(/\/canary\?namespace=default&service=reviews$/);
    // A second tab that loaded the form before the first one created anything.
    const other = await browser.newPage();
    try {
      const late = new CanaryPage(other);
      await late.goto(consoleUrl, 'default', 'reviews');
      await expect(late.createButton).toBeEnabled();

      const canary = new CanaryPage(page);
      await canary.goto(consoleUrl, 'default', 'reviews');
      await expect(canary.createShift).toContainText('Create traffic shifting');
      await expect(canary.shiftVersions).toHaveCount(3);
      expect(
        await canary.shiftVersions.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-version'))),
      ).toEqual(['v1', 'v2', 'v3']);
      // As Kiali starts: everything on the first version.
      expect(await canary.shiftWeights()).toEqual([100, 0, 0]);
      await canary.shiftWeight('v1').fill('90');
      await expect(canary.createSum).toHaveText('Sum 90 %: needs 100');
      await expect(canary.createButton).toBeDisabled();
      await canary.shiftWeight('v2').fill('10');
      await canary.shiftWeight('v3').fill('0');
      await expect(canary.createSum).toHaveText('Sum 100 %');
      await expect(page.getByTestId('shift-bar')).toContainText('90%');
      await canary.screenshot(join(SHOTS, 'canary-create.png'));
      await canary.createButton.click();
      await expect(canary.createOk).toContainText('Created VirtualService reviews (90 / 10 / 0)');
      await expect(canary.createOk).toContainText('new DestinationRule default/reviews');

      const dr = await cp.api.get(DR_PATH('default', 'reviews'));
      expect(dr?.spec).toEqual({
        host: 'reviews',
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' } },
          { name: 'v3', labels: { version: 'v3' } },
        ],
      });
      const vs = await cp.api.get(VS_PATH('default', 'reviews'));
      expect(vs?.spec).toEqual({
        hosts: ['reviews'],
        http: [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
              { destination: { host: 'reviews', subset: 'v3' }, weight: 0 },
            ],
          },
        ],
      });
      for (const kind of ['DestinationRule', 'VirtualService']) {
        const [latest] = (await cp.api.history(kind, 'default', 'reviews')).items;
        expect(latest?.verb).toBe('create');
        expect(latest?.actor).toBe('anonymous');
      }
      // The form gives way to the ordinary editor of the new VirtualService.
      await expect(canary.createShift).toHaveCount(0);
      await expect(canary.routes).toHaveCount(1);
      await expect.poll(() => canary.weights()).toEqual([90, 10, 0]);
      await canary.screenshot(join(SHOTS, 'canary-created.png'));

      // The other tab still shows the form (100 / 0 / 0): its Create is refused, nothing changes.
      await late.createButton.click();
      await expect(late.writeError).toHaveAttribute('data-code', 'CONTROL_PLANE_CONFLICT');
      await expect(late.writeError).toContainText('already exists');
      expect(await cp.api.get(VS_PATH('default', 'reviews'))).toEqual(vs);
      expect(await cp.api.get(DR_PATH('default', 'reviews'))).toEqual(dr);
      await late.screenshot(join(SHOTS, 'canary-create-conflict.png'));
    } finally {
      await other.close();
    }
  });
});
