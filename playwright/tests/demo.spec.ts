import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ServiceGraph } from '@trellis/shared/telemetry-api';
import { CanaryPage } from '../pages/canary-page';
import { OverviewPage } from '../pages/overview-page';
import { ProxiesPage } from '../pages/proxies-page';
import { SecurityPage } from '../pages/security-page';
import { ServicePage } from '../pages/service-page';
import { TopologyPage } from '../pages/topology-page';
import { TracesPage, TraceWaterfallPage } from '../pages/traces-page';
import { type RunningDemo, useDemo } from '../support/demo';
import { ROOT } from '../support/processes';

const SHOTS = join(ROOT, 'test-results/console');
const RATE = 5;
const BOOKINFO = [
  ['productpage-v1', 'v1'],
  ['details-v1', 'v1'],
  ['reviews-v1', 'v1'],
  ['reviews-v2', 'v2'],
  ['reviews-v3', 'v3'],
  ['ratings-v1', 'v1'],
] as const;

const wl = (name: string) => `workload:default/${name}`;
const FIXTURES = join(ROOT, 'packages/shared/fixtures/bookinfo');

/** "5.00", "12.5", "0.833" → number; "—" (unknown) → NaN. */
const num = (text: string) => Number(text.replace(/[^\d.]/g, '') || Number.NaN);

test.describe('the running demo in the console', () => {
  let demo: RunningDemo;

  test.beforeAll(async () => {
    test.setTimeout(5 * 60_000);
    demo = await useDemo(RATE, 4 * 60_000);
  });
  test.afterAll(async () => {
    test.setTimeout(60_000);
    await demo?.stop();
  });

  test('the overview lists every Bookinfo workload with live numbers', async ({ page }) => {
    test.setTimeout(180_000);
    const overview = new OverviewPage(page);
    await overview.goto(demo.state.console);
    await expect(overview.heading).toBeVisible();
    await expect(overview.table).toBeVisible();

    for (const [workload, version] of BOOKINFO) {
      const row = overview.row(workload);
      await expect(row).toBeVisible();
      // Telemetry needs two scrapes (5 s apart) before a rate exists; the page polls every 5 s.
      await expect
        .poll(async () => num((await overview.cells(workload)).rps), { timeout: 60_000, intervals: [1000] })
        .toBeGreaterThan(0);
      const cells = await overview.cells(workload);
      expect(cells).toMatchObject({ workload, namespace: 'default', version, sync: 'Synced', errors: '0%' });
      expect(cells.p99, `${workload} p99`).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    }
    // The load generator's sidecar is a workload too, and productpage carries its rate.
    await expect(overview.row('loadgen')).toBeVisible();
    if (demo.rate !== null) {
      // A rate over the overview's 60 s window (as Prometheus computes it) reaches the load's rate once the
      // load has run about that long.
      const rate = demo.rate;
      await expect
        .poll(async () => num((await overview.cells('productpage-v1')).rps), {
          timeout: 90_000,
          intervals: [2000],
        })
        .toBeGreaterThan(rate * 0.8);
      expect(num((await overview.cells('productpage-v1')).rps)).toBeLessThan(rate * 1.4);
    }
    await overview.screenshot(join(SHOTS, 'overview-demo.png'));
  });
  test('the topology shows Bookinfo as it runs, every sidecar-to-sidecar edge locked (mTLS)', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const topo = new TopologyPage(page);
    await topo.goto(demo.state.console);
    await topo.waitForGraph(60_000);
    const pp = wl('productpage-v1');
    // Without a VirtualService productpage spreads reviews calls over v1, v2 and v3.
    for (const target of ['details-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']) {
      await expect
        .poll(async () => (await topo.edges()).some((e) => e.source === pp && e.target === wl(target)), {
          timeout: 60_000,
          intervals: [2000],
        })
        .toBe(true);
      const e = await topo.edge(pp, wl(target));
      expect(e.lock, `${target}: ${e.label}`).toBe(true);
      expect(e.health).toBe('healthy');
    }
    expect((await topo.edge(wl('reviews-v2'), wl('ratings-v1'))).lock).toBe(true);
    expect((await topo.edge(wl('loadgen'), pp)).lock).toBe(true);
    await topo.screenshot(join(SHOTS, 'demo-topology.png'));
  });

  test('traces of real requests: a search finds them and the waterfall nests the hops', async ({ page }) => {
    test.setTimeout(120_000);
    const traces = new TracesPage(page);
    await traces.goto(demo.state.console);
    // The demo traces every request (Istio's demo profile); a user who finds none yet searches again.
    await expect(async () => {
      await traces.searchButton.click();
      await expect(traces.results.first()).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 60_000 });
    const [first] = await traces.resultIds();
    const waterfall = new TraceWaterfallPage(page);
    await waterfall.goto(demo.state.console, first!);
    // loadgen → productpage → details and reviews (→ ratings): server and client spans of each hop.
    await expect
      .poll(async () => (await waterfall.rowInfo()).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(4);
    const rows = await waterfall.rowInfo();
    expect(rows[0]!.depth).toBe(0);
    expect(
      rows.some((r) => r.depth >= 2),
      'spans nest below their parents',
    ).toBe(true);
    await waterfall.screenshot(join(SHOTS, 'demo-trace.png'));
  });

  test("canary: kubectl applies Istio's 50/50, the slider sets 80/20, the stored weights and the observed split follow", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    execFileSync('kubectl', [
      '--kubeconfig',
      demo.state.kubeconfig,
      'apply',
      '-f',
      join(FIXTURES, 'destination-rule-all.yaml'),
      '-f',
      join(FIXTURES, 'virtual-service-reviews-50-v3.yaml'),
    ]);
    const canary = new CanaryPage(page);
    const share = async (subset: string) =>
      Number(((await canary.destination(subset).getByTestId('observed').textContent()) ?? '').split('%')[0]);
    await canary.goto(demo.state.console, 'default', 'reviews');
    await expect(canary.inputs).toHaveCount(2);
    await expect.poll(() => canary.weights()).toEqual([50, 50]);
    // Until now productpage spread reviews calls evenly: v1 and v3 near half each, so the later
    // 80/20 reading is a change the test saw happen.
    await expect.poll(() => share('v1'), { timeout: 30_000 }).toBeLessThan(68);
    await canary.dragTo('v1', 80);
    await expect.poll(() => canary.weights()).toEqual([80, 20]);
    await canary.apply.click();
    await expect(canary.applyOk).toBeVisible();

    const stored = execFileSync('kubectl', [
      '--kubeconfig',
      demo.state.kubeconfig,
      'get',
      'vs',
      'reviews',
      '-o',
      'jsonpath={.spec.http[0].route[*].weight}',
    ]).toString();
    expect(stored).toBe('80 20');
    // The observed share is over the last minute: it reaches 80/20 (± sampling) once the 50/50
    // minute has passed. About 5 requests/s reach reviews.
    await expect.poll(() => share('v1'), { timeout: 150_000, intervals: [5000] }).toBeGreaterThan(68);
    expect(await share('v3')).toBeLessThan(32);
    await canary.screenshot(join(SHOTS, 'demo-canary.png'));
  });

  test('the service page draws reviews per version from real telemetry', async ({ page }) => {
    test.setTimeout(90_000);
    const service = new ServicePage(page);
    await service.goto(demo.state.console, 'default', 'reviews', '?range=5m');
    await expect
      .poll(() => service.legend('rps'), { timeout: 60_000 })
      .toEqual(expect.arrayContaining(['v1', 'v3']));
    await expect(service.summaryRow('v1')).toBeVisible();
    await service.screenshot(join(SHOTS, 'demo-service-reviews.png'));
  });

  test('mTLS switch: STRICT for default is stored and meshed traffic keeps flowing', async ({ page }) => {
    test.setTimeout(180_000);
    const security = new SecurityPage(page);
    await security.goto(demo.state.console, 'default');
    await expect(security.effectiveMode).toContainText('PERMISSIVE');
    await security.modeSwitch.click();
    // Every client in the demo has a sidecar: nothing would break.
    await expect(security.noPlaintext).toBeVisible();
    await security.screenshot(join(SHOTS, 'demo-security-preview.png'));
    await security.confirmStrict.click();
    await expect(security.applyOk).toBeVisible();
    const mode = execFileSync('kubectl', [
      '--kubeconfig',
      demo.state.kubeconfig,
      'get',
      'peerauthentication',
      'default',
      '-n',
      'default',
      '-o',
      'jsonpath={.spec.mtls.mode}',
    ]).toString();
    expect(mode).toBe('STRICT');
    // Half a minute of traffic entirely after the switch (the built-in scraper reads every 5 s, so
    // a window this long always holds several scrapes): requests arrive and none failed.
    await page.waitForTimeout(32_000);
    const inbound = async () => {
      const res = await fetch(`${demo.state.api}/api/v1/mesh/graph?window=30s`);
      const graph = (await res.json()) as ServiceGraph;
      return graph.nodes.find((n) => n.id === wl('productpage-v1'))?.inbound;
    };
    await expect.poll(async () => (await inbound())?.rps ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await inbound())?.errorRate).toBe(0);
  });

  test('the proxies page lists all seven sidecars as synced', async ({ page }) => {
    const proxies = new ProxiesPage(page);
    await proxies.goto(demo.state.console);
    await expect(proxies.rows).toHaveCount(7);
    for (const [workload] of [...BOOKINFO, ['loadgen', '']] as const)
      expect((await proxies.cells(workload)).sync, workload).toBe('Synced');
    await proxies.screenshot(join(SHOTS, 'demo-proxies.png'));
  });
});
