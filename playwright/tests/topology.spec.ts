import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { TopologyPage } from '../pages/topology-page';
import { ROOT } from '../support/processes';
import { setStub } from '../support/stub-control-plane';

const SHOTS = join(ROOT, 'test-results/console');
const consoleUrl = () => process.env.TRELLIS_CONSOLE_URL!;
const stubUrl = () => process.env.TRELLIS_STUB_URL!;

const PP = 'workload:default/productpage-v1';
const wl = (name: string) => `workload:default/${name}`;
const BOOKINFO = ['productpage-v1', 'details-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'ratings-v1'];
// PatternFly's status colours as cytoscape resolves them (graph-style.ts).
const RED = 'rgb(201,25,11)';
const AMBER = 'rgb(217,142,0)';
const GREEN = 'rgb(62,134,53)';

test.describe('topology against a stub control plane', () => {
  test.afterEach(async () => {
    await setStub(stubUrl(), { scenario: 'bookinfo', productpageRps: 5, ratingsErrorRate: 0 });
  });

  test('draws every Bookinfo workload in its app box, with edge numbers, health and mTLS', async ({
    page,
  }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo', productpageRps: 5 });
    const topo = new TopologyPage(page);
    await topo.goto(consoleUrl());
    await expect(topo.heading).toBeVisible();
    await topo.waitForGraph();
    await expect(topo.summary).toHaveText('4 apps · 6 workloads · 7 edges');

    const nodes = await topo.nodes();
    for (const name of BOOKINFO) {
      const n = nodes.find((x) => x.id === wl(name));
      expect(n, name).toBeDefined();
      expect(n!.parent).toBe(`app:default/${name.replace(/-v\d$/, '')}`);
      expect(n!.visible).toBe(true);
    }
    // Traffic reads left to right: outside → productpage → details / reviews → ratings.
    const x = (id: string) => nodes.find((n) => n.id === id)!.position.x;
    expect(x('unknown')).toBeLessThan(x(PP));
    for (const callee of ['details-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3'])
      expect(x(PP), callee).toBeLessThan(x(wl(callee)));
    expect(x(wl('reviews-v2'))).toBeLessThan(x(wl('ratings-v1')));
    expect(nodes.find((n) => n.id === 'app:default/reviews')?.label).toBe('reviews');
    expect(nodes.find((n) => n.id === 'unknown')?.label).toBe('unknown');
    // Every node lies inside the canvas after the first layout.
    const box = (await topo.graph.boundingBox())!;
    for (const n of nodes.filter((x) => x.kind !== 'app')) {
      expect(n.client.x, n.id).toBeGreaterThan(box.x);
      expect(n.client.x, n.id).toBeLessThan(box.x + box.width);
      expect(n.client.y, n.id).toBeGreaterThan(box.y);
      expect(n.client.y, n.id).toBeLessThan(box.y + box.height);
    }

    const toReviews = await topo.edge(PP, wl('reviews-v2'));
    expect(toReviews.label).toBe('2.10 rps\np99 21 ms');
    expect(toReviews.mtls).toBe('mtls');
    expect(toReviews.lock, 'the lock is drawn on an all-mTLS edge').toBe(true);
    expect(toReviews.lineStyle).toBe('solid');
    expect(toReviews.lineColor).toBe(GREEN);

    const fromOutside = await topo.edge('unknown', PP);
    expect(fromOutside.label).toContain('⚠ plaintext');
    expect(fromOutside.lock).toBe(false);
    expect(fromOutside.lineStyle).toBe('dashed');
    const partly = await topo.edge(wl('reviews-v3'), wl('ratings-v1'));
    expect(partly.label).toContain('⚠ 40% plaintext');
    expect(partly.lock).toBe(false);
    expect((await topo.edges()).filter((e) => e.lock).length).toBe(5);

    // reviews-v3 answers 8 % errors: degraded (amber), like its incoming edge.
    expect((await topo.node(wl('reviews-v3'))).borderColor).toBe(AMBER);
    expect((await topo.edge(PP, wl('reviews-v3'))).lineColor).toBe(AMBER);
    expect((await topo.node(wl('details-v1'))).borderColor).toBe(GREEN);
    await expect(topo.legend).toBeVisible();
    await topo.screenshot(join(SHOTS, 'topology-bookinfo.png'));
  });

  test('a failing service turns red, and its side panel shows its inbound numbers and service link', async ({
    page,
  }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo', ratingsErrorRate: 0.5 });
    const topo = new TopologyPage(page);
    await topo.goto(consoleUrl());
    await topo.waitForGraph();
    const ratings = await topo.node(wl('ratings-v1'));
    expect(ratings.health).toBe('failure');
    expect(ratings.borderColor).toBe(RED);
    expect((await topo.node('app:default/ratings')).borderColor).toBe(RED);

    await topo.clickNode(wl('ratings-v1'));
    await expect(topo.panel).toHaveAttribute('data-node', wl('ratings-v1'));
    await expect(page).toHaveURL(/[?&]node=workload%3Adefault%2Fratings-v1/);
    await expect(topo.panel.getByTestId('panel-title')).toHaveText('ratings-v1');
    await expect(topo.panel.getByTestId('panel-health')).toHaveText('Failure');
    await expect(topo.panelValue('rps')).toHaveText('3.70');
    await expect(topo.panelValue('errors')).toHaveText('50%');
    await expect(topo.panelValue('p99')).toHaveText('4 ms');
    await expect(topo.panelValue('p50')).toHaveText('1 ms');
    const rows = topo.panel.getByTestId('panel-inbound').locator('tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toHaveAttribute('data-source', wl('reviews-v2'));
    await expect(rows.nth(1).locator('[data-mtls]')).toHaveAttribute('data-mtls', 'partial');
    await expect(topo.panel.getByTestId('panel-service-link')).toHaveAttribute(
      'href',
      '/services/default/ratings',
    );
    await topo.screenshot(join(SHOTS, 'topology-failure-panel.png'));

    // The app box sums its versions.
    await topo.clickNode(wl('reviews-v1'));
    await expect(topo.panel).toHaveAttribute('data-node', wl('reviews-v1'));
    await expect(topo.panelValue('rps')).toHaveText('1.30');
    // The selection is in the URL: a reload opens the same panel.
    await page.reload();
    await expect(topo.panel).toHaveAttribute('data-node', wl('reviews-v1'));
  });

  test('positions stay put across refreshes and reloads; the layout runs once', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo', productpageRps: 5 });
    const topo = new TopologyPage(page);
    await topo.goto(consoleUrl());
    await topo.waitForGraph();
    const before = await topo.positions();
    expect((await topo.stats()).layoutRuns).toBe(1);

    // The page polls every 5 s; a new number lands without moving anything.
    await setStub(stubUrl(), { productpageRps: 12.5 });
    await expect
      .poll(async () => (await topo.edge('unknown', PP)).label, { timeout: 20_000 })
      .toContain('12.5 rps');
    const stats = await topo.stats();
    expect(stats.updates).toBeGreaterThanOrEqual(2);
    expect(stats.layoutRuns).toBe(1);
    expect(await topo.positions()).toEqual(before);

    // A reload restores the remembered positions instead of laying out again.
    await page.reload();
    await topo.waitForGraph();
    expect((await topo.stats()).layoutRuns).toBe(0);
    expect(await topo.positions()).toEqual(before);
  });

  test('the namespace filter lives in the URL and keeps what talks to it', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'two-namespaces' });
    const topo = new TopologyPage(page);
    await topo.goto(consoleUrl());
    await topo.waitForGraph();
    expect((await topo.nodes()).some((n) => n.id === 'workload:tools/httpbin-v1')).toBe(true);

    await topo.namespaceFilter.selectOption('tools');
    await expect(page).toHaveURL(/\?namespace=tools$/);
    await expect(topo.summary).toHaveText('1 app · 1 workload · 0 edges');
    await expect
      .poll(async () => (await topo.nodes()).map((n) => n.id).sort())
      .toEqual(['app:tools/httpbin', 'workload:tools/httpbin-v1']);

    await page.reload();
    await expect(topo.namespaceFilter).toHaveValue('tools');
    await topo.waitForGraph();
    expect((await topo.nodes()).map((n) => n.id).sort()).toEqual([
      'app:tools/httpbin',
      'workload:tools/httpbin-v1',
    ]);
    await topo.screenshot(join(SHOTS, 'topology-namespace.png'));

    await topo.namespaceFilter.selectOption('');
    await expect(page).toHaveURL(/\/topology$/);
    await expect(topo.summary).toHaveText('5 apps · 7 workloads · 7 edges');
  });

  test('500 services: drawn once, fewer labels when zoomed out, refreshed without a new layout', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await setStub(stubUrl(), { scenario: 'large' });
    const topo = new TopologyPage(page);
    // Selected through the URL: fitted, nodes are a few pixels wide and a click may hit a neighbour.
    const focus = 'workload:mesh-0/svc-0-v1';
    await topo.goto(consoleUrl(), `?node=${encodeURIComponent(focus)}`);
    await topo.waitForGraph(60_000);
    await expect(topo.summary).toHaveText('500 apps · 600 workloads · 1205 edges');
    const stats = await topo.stats();
    console.log(
      `[topology] 500 services: first render ${stats.firstRenderMs} ms, layout ${stats.lastLayoutMs} ms, zoom ${stats.zoom.toFixed(2)}`,
    );
    expect(stats.layoutRuns).toBe(1);
    expect(stats.firstRenderMs).not.toBeNull();
    // Generous bound for a busy 2-core machine (DESIGN.md measured ~1–1.5 s quiet).
    expect(stats.firstRenderMs!).toBeLessThan(30_000);
    expect((await topo.nodes()).length).toBe(1101);
    // Fitted, the whole graph is far too small for edge labels: none drawn, no locks.
    expect(stats.zoom).toBeLessThan(0.5);
    expect((await topo.edges()).filter((e) => e.lock).length).toBe(0);
    await topo.screenshot(join(SHOTS, 'topology-large.png'));

    // Zoomed in around one node, the edges nearby show their locks (and labels) again.
    await expect(topo.panel).toHaveAttribute('data-node', focus);
    for (let i = 0; i < 10 && (await topo.stats()).zoom < 1.2; i++) await topo.zoomIn.click();
    expect((await topo.stats()).zoom).toBeGreaterThanOrEqual(1.2);
    await expect.poll(async () => (await topo.edges()).filter((e) => e.lock).length).toBeGreaterThan(0);
    const near = await topo.node(focus);
    const box = (await topo.graph.boundingBox())!;
    expect(near.client.x).toBeGreaterThan(box.x);
    expect(near.client.x).toBeLessThan(box.x + box.width);
    await topo.screenshot(join(SHOTS, 'topology-large-zoomed.png'));

    const updates = (await topo.stats()).updates;
    await expect.poll(async () => (await topo.stats()).updates, { timeout: 20_000 }).toBeGreaterThan(updates);
    expect((await topo.stats()).layoutRuns).toBe(1);
  });

  test('an empty mesh says how to get traffic', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'empty' });
    const topo = new TopologyPage(page);
    await topo.goto(consoleUrl());
    await expect(topo.empty).toContainText('No traffic yet');
    await expect(topo.empty).toContainText('trellis demo');
    await expect(topo.graph).toHaveCount(0);
    await topo.screenshot(join(SHOTS, 'topology-empty.png'));
  });

  test('errors: unreachable control plane, missing telemetry API, bad window', async ({ page }) => {
    const topo = new TopologyPage(page);
    await setStub(stubUrl(), { scenario: 'down' });
    await topo.goto(consoleUrl());
    await expect(topo.error).toContainText('Cannot load the service graph');
    await expect(topo.errorCode).toHaveText('CONTROL_PLANE_UNREACHABLE');
    await topo.screenshot(join(SHOTS, 'topology-unreachable.png'));

    await setStub(stubUrl(), { scenario: 'no-telemetry' });
    await topo.error.getByRole('button', { name: 'Try again' }).click();
    await expect(topo.errorCode).toHaveText('CONTROL_PLANE_NOT_FOUND');

    await setStub(stubUrl(), { scenario: 'bookinfo' });
    await topo.error.getByRole('button', { name: 'Try again' }).click();
    await topo.waitForGraph();

    await topo.goto(consoleUrl(), '?window=7h');
    await expect(topo.errorCode).toHaveText('INVALID_REQUEST');
    await expect(topo.error).toContainText('between 1s and 6h');
  });

  test('a failed refresh keeps the last good graph and says it is stale', async ({ page }) => {
    const topo = new TopologyPage(page);
    await topo.goto(consoleUrl());
    await topo.waitForGraph();
    await setStub(stubUrl(), { scenario: 'error' });
    await expect(topo.staleBanner).toContainText('latest refresh failed', { timeout: 25_000 });
    expect((await topo.nodes()).length).toBeGreaterThan(0);
  });
});
