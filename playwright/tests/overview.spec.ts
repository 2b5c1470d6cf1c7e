import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { OverviewPage } from '../pages/overview-page';
import { ROOT } from '../support/processes';
import { setStub } from '../support/stub-control-plane';

const SHOTS = join(ROOT, 'test-results/console');
const consoleUrl = () => process.env.TRELLIS_CONSOLE_URL!;
const stubUrl = () => process.env.TRELLIS_STUB_URL!;

test.describe('mesh overview against a stub control plane', () => {
  test.afterEach(async () => {
    await setStub(stubUrl(), { scenario: 'bookinfo', productpageRps: 5 });
  });

  test('lists every workload with version, sync state and live numbers, and refreshes them', async ({
    page,
  }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo', productpageRps: 5 });
    const overview = new OverviewPage(page);
    await overview.goto(consoleUrl());

    await expect(overview.heading).toBeVisible();
    await expect(overview.rows).toHaveCount(6);
    await expect(overview.workloadCount).toHaveText('6 of 6 workloads');
    expect(await overview.cells('productpage-v1')).toEqual({
      workload: 'productpage-v1',
      namespace: 'default',
      version: 'v1',
      sync: 'Synced',
      rps: '5.00',
      errors: '0%',
      p99: '48 ms',
    });
    expect(await overview.cells('reviews-v3')).toMatchObject({
      version: 'v3',
      sync: 'Stale',
      errors: '8.0%',
      p99: '2.54 s',
    });
    await expect(overview.refresh).toContainText('every 5 s');
    await overview.screenshot(join(SHOTS, 'overview-bookinfo.png'));

    // The page polls every 5 s: a new number at the control plane shows without a reload.
    await setStub(stubUrl(), { productpageRps: 12.5 });
    await expect(overview.row('productpage-v1').getByTestId('cell-rps')).toHaveText('12.5', {
      timeout: 15_000,
    });
  });

  test('the namespace filter lives in the URL', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'two-namespaces' });
    const overview = new OverviewPage(page);
    await overview.goto(consoleUrl());
    await expect(overview.rows).toHaveCount(7);
    await expect(overview.row('httpbin-v1').getByText('NACKed')).toBeVisible();

    await overview.namespaceFilter.selectOption('tools');
    await expect(page).toHaveURL(/\?namespace=tools$/);
    await expect(overview.rows).toHaveCount(1);

    await page.reload();
    await expect(overview.namespaceFilter).toHaveValue('tools');
    await expect(overview.rows).toHaveCount(1);
    await expect(overview.workloadCount).toHaveText('1 of 7 workloads');
  });

  test('missing telemetry API: a banner says so and the numbers show as unknown, not zero', async ({
    page,
  }) => {
    await setStub(stubUrl(), { scenario: 'no-telemetry' });
    const overview = new OverviewPage(page);
    await overview.goto(consoleUrl());
    await expect(overview.rows).toHaveCount(6);
    await expect(overview.sourceBanners).toHaveCount(1);
    await expect(overview.sourceBanners).toContainText('Telemetry unavailable');
    await expect(overview.sourceBanners).toContainText('does not serve this API yet (404)');
    expect(await overview.cells('details-v1')).toMatchObject({
      sync: 'Synced',
      rps: '—',
      errors: '—',
      p99: '—',
    });
    await overview.screenshot(join(SHOTS, 'overview-no-telemetry.png'));
  });

  test('an empty mesh says how to add workloads', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'empty' });
    const overview = new OverviewPage(page);
    await overview.goto(consoleUrl());
    await expect(overview.empty).toContainText('No workloads yet');
    await expect(overview.empty).toContainText('trellis demo');
    await expect(overview.table).toHaveCount(0);
    await overview.screenshot(join(SHOTS, 'overview-empty.png'));
  });

  test('an unreachable control plane is an error state that recovers on retry', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'down' });
    const overview = new OverviewPage(page);
    await overview.goto(consoleUrl());
    await expect(overview.error).toContainText('Cannot load the mesh overview');
    await expect(overview.errorCode).toHaveText('CONTROL_PLANE_UNREACHABLE');
    await expect(overview.table).toHaveCount(0);
    await overview.screenshot(join(SHOTS, 'overview-unreachable.png'));

    await setStub(stubUrl(), { scenario: 'bookinfo' });
    await overview.error.getByRole('button', { name: 'Try again' }).click();
    await expect(overview.rows).toHaveCount(6);
  });

  test('a failed refresh keeps the last good table and says it is stale', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto(consoleUrl());
    await expect(overview.rows).toHaveCount(6);
    await setStub(stubUrl(), { scenario: 'error' });
    // Next poll (5 s) plus react-query's two retries (1 s, 2 s).
    await expect(overview.staleBanner).toContainText('latest refresh failed', { timeout: 25_000 });
    await expect(overview.rows).toHaveCount(6);
  });
});
