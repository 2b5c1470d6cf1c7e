import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { OverviewPage } from '../pages/overview-page';
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
});
