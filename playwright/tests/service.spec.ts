import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { OverviewPage } from '../pages/overview-page';
import { type ChartId, ServicePage } from '../pages/service-page';
import { ROOT } from '../support/processes';
import { setStub } from '../support/stub-control-plane';

const SHOTS = join(ROOT, 'test-results/console');
const consoleUrl = () => process.env.TRELLIS_CONSOLE_URL!;
const stubUrl = () => process.env.TRELLIS_STUB_URL!;
const CHARTS: ChartId[] = ['rps', 'errorPct', 'p50Ms', 'p95Ms', 'p99Ms'];

test.describe('service page against a stub control plane', () => {
  test.afterEach(async () => {
    await setStub(stubUrl(), { scenario: 'bookinfo', productpageRps: 5, noProxyAdmin: false });
  });

  test('golden metrics per version, the proxies serving it and the config naming it', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const svc = new ServicePage(page);
    await svc.goto(consoleUrl(), 'default', 'reviews');

    await expect(svc.heading).toHaveText('reviews');
    await expect(page.getByText('reviews.default.svc.cluster.local').first()).toBeVisible();

    // Every chart: one line per version plus the total, named in its legend.
    for (const id of CHARTS) {
      await expect(svc.lines(id), `lines of ${id}`).toHaveCount(4);
      expect(await svc.legend(id)).toEqual(['total', 'v1', 'v2', 'v3']);
    }

    // The summary: mean rate over the range, errors over the range, latency of the latest step.
    await expect(svc.summaryRows).toHaveCount(4);
    expect(await svc.summary('v1')).toEqual({
      rps: '1.30',
      errors: '0%',
      p50: '2 ms',
      p95: '6 ms',
      p99: '9 ms',
    });
    expect(await svc.summary('v3')).toMatchObject({ rps: '1.60', errors: '8.0%', p99: '2.54 s' });
    expect(await svc.summary('total')).toMatchObject({ rps: '5.00', errors: '2.6%', p99: '2.54 s' });
    await expect(svc.summaryRow('v3').getByTestId('summary-errors')).toHaveClass(/cell-bad/);

    // Endpoints: reviews' three proxies with their sync state and what their callers' sidecars say:
    // productpage-v1 has ejected reviews-v3; details-v1's admin did not answer.
    await expect(svc.endpointRows).toHaveCount(3);
    await expect(svc.endpoint('reviews-v3-1').getByTestId('cell-sync')).toHaveText('Stale');
    await expect(svc.endpoint('reviews-v1-1').getByTestId('cell-sync')).toHaveText('Synced');
    await expect(svc.outlier('reviews-v3-1')).toHaveText('Ejected by productpage-v1');
    await expect(svc.outlier('reviews-v3-1')).toHaveAttribute('data-outlier', 'ejected');
    await expect(svc.outlier('reviews-v3-1').locator('.badge')).toHaveClass(/badge-bad/);
    await expect(svc.outlier('reviews-v3-1')).toHaveAttribute('title', /2 ejections, 14 errors/);
    await expect(svc.outlier('reviews-v1-1')).toHaveText('Healthy');
    await expect(svc.outlier('reviews-v2-1')).toHaveText('Healthy');
    await expect(svc.outlierNote).toContainText('Callers: productpage-v1');
    await expect(
      svc.outlierNote.locator('[data-testid="outlier-caller"][data-status="unreachable"]'),
    ).toContainText('details-v1 unreachable');
    await expect(svc.outlierNote).not.toContainText('not reported');
    await expect(svc.outlierNote).toContainText('consecutive5xxErrors 3');

    // Config: the VirtualService and DestinationRule naming reviews, not ratings'.
    await expect(svc.configObjects).toHaveCount(2);
    const vs = svc.configObject('VirtualService', 'default/reviews');
    await expect(vs.getByTestId('config-yaml')).toContainText('subset: v1');
    await expect(vs.getByTestId('config-yaml')).toContainText('weight: 80');
    await expect(vs.getByTestId('config-yaml')).not.toContainText('resourceVersion');
    await expect(svc.configObject('DestinationRule', 'default/reviews')).toContainText(
      'consecutive5xxErrors: 3',
    );

    await svc.screenshot(join(SHOTS, 'service-reviews.png'));
  });

  test('the range lives in the URL and changes the step', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const svc = new ServicePage(page);
    await svc.goto(consoleUrl(), 'default', 'ratings');
    await expect(svc.range('30m')).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('metrics-note')).toContainText('step 15 s');

    await svc.range('1h').click();
    await expect(page).toHaveURL(/\/services\/default\/ratings\?range=1h$/);
    await expect(page.getByTestId('metrics-note')).toContainText('step 30 s');
    await expect(svc.lines('rps')).toHaveCount(2);
    expect(await svc.legend('rps')).toEqual(['total', 'v1']);

    await page.reload();
    await expect(svc.range('1h')).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('metrics-note')).toContainText('step 30 s');
  });

  test('each workload on the overview links to its service page', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const overview = new OverviewPage(page);
    await overview.goto(consoleUrl());
    await overview.row('reviews-v2').getByTestId('cell-workload').click();
    await expect(page).toHaveURL(/\/services\/default\/reviews$/);
    await expect(new ServicePage(page).heading).toHaveText('reviews');
  });

  test("the service's traces are one click away, filtered by its span service name", async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const svc = new ServicePage(page);
    await svc.goto(consoleUrl(), 'default', 'reviews');
    await page.getByTestId('service-traces-link').click();
    await expect(page).toHaveURL(/\/traces\?service=reviews.default$/);
    await expect(page.getByTestId('filter-service')).toHaveValue('reviews.default');
    // The retry and the slow trace are the stub's traces with a reviews span.
    await expect(page.getByTestId('trace-result')).toHaveCount(2);
  });

  test('outlier ejection: not reported when nothing calls the service, or when the control plane cannot say', async ({
    page,
  }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const svc = new ServicePage(page);
    // Nothing calls productpage through the mesh: no sidecar holds a cluster that could eject it.
    await svc.goto(consoleUrl(), 'default', 'productpage');
    await expect(svc.outlier('productpage-v1-1')).toHaveText('Not reported');
    await expect(svc.outlier('productpage-v1-1')).toHaveAttribute('title', /No sidecar has a cluster/);
    await expect(svc.outlierNote).toContainText('No sidecar holds a cluster for productpage');

    // A control plane without the sidecar-state API: the table stays, the column says so.
    await setStub(stubUrl(), { noProxyAdmin: true });
    await svc.goto(consoleUrl(), 'default', 'reviews');
    await expect(svc.endpointRows).toHaveCount(3);
    for (const id of ['reviews-v1-1', 'reviews-v2-1', 'reviews-v3-1'])
      await expect(svc.outlier(id)).toHaveText('Not reported');
    await expect(page.getByTestId('outlier-unavailable')).toContainText('CONTROL_PLANE_NOT_FOUND');
    await svc.screenshot(join(SHOTS, 'service-outlier-not-reported.png'));
  });

  test('no telemetry API: the metrics say why, endpoints and config still show', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'no-telemetry' });
    const svc = new ServicePage(page);
    await svc.goto(consoleUrl(), 'default', 'reviews');
    await expect(svc.metrics.getByTestId('state-error')).toBeVisible();
    await expect(svc.metrics.getByTestId('error-code')).toHaveText('CONTROL_PLANE_NOT_FOUND');
    await expect(svc.endpointRows).toHaveCount(3);
    await expect(page.getByTestId('endpoints-telemetry-banner')).toBeVisible();
    await expect(svc.configObjects).toHaveCount(2);
    await svc.screenshot(join(SHOTS, 'service-no-telemetry.png'));
  });

  test('an idle service with no config: empty states, not zeros or errors', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'empty' });
    const svc = new ServicePage(page);
    await svc.goto(consoleUrl(), 'default', 'reviews', '?range=5m');
    await expect(svc.metrics.getByTestId('state-empty')).toContainText(
      'No requests to reviews in the last 5m',
    );
    await expect(page.getByTestId('endpoints-empty')).toBeVisible();
    await expect(page.getByTestId('config-empty')).toContainText('reviews.default.svc.cluster.local');
    await expect(page.getByTestId('state-error')).toHaveCount(0);
    await svc.screenshot(join(SHOTS, 'service-empty.png'));
  });

  test('control plane down: every section shows the error with its code', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'down' });
    const svc = new ServicePage(page);
    await svc.goto(consoleUrl(), 'default', 'reviews');
    await expect(page.getByTestId('state-error')).toHaveCount(3, { timeout: 30_000 });
    for (const code of await page.getByTestId('error-code').allInnerTexts())
      expect(code).toBe('CONTROL_PLANE_UNREACHABLE');
    await svc.screenshot(join(SHOTS, 'service-down.png'));
  });
});
