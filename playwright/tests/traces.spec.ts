import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { TracesPage, TraceWaterfallPage } from '../pages/traces-page';
import { ROOT } from '../support/processes';
import { setStub } from '../support/stub-control-plane';
import { FAULT_TRACE_ID, RETRY_TRACE_ID } from '../support/stub-service-traces';

const SHOTS = join(ROOT, 'test-results/console');
const consoleUrl = () => process.env.TRELLIS_CONSOLE_URL!;
const stubUrl = () => process.env.TRELLIS_STUB_URL!;
const OK_TRACE_ID = '0123456789abcdef0123456789abcdef';
const SLOW_TRACE_ID = '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a';

test.describe('traces against a stub control plane', () => {
  test.afterEach(async () => {
    await setStub(stubUrl(), { scenario: 'bookinfo', productpageRps: 5 });
  });

  test('lists recent traces newest first, with their errors', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const traces = new TracesPage(page);
    await page.goto(consoleUrl());
    await page.getByTestId('nav-traces').click();
    await expect(page).toHaveURL(/\/traces$/);
    await expect(page.getByTestId('nav-traces')).toHaveAttribute('aria-current', 'page');
    await expect(traces.heading).toHaveText('Traces');
    await expect(traces.results).toHaveCount(4);
    expect(await traces.resultIds()).toEqual([RETRY_TRACE_ID, FAULT_TRACE_ID, OK_TRACE_ID, SLOW_TRACE_ID]);
    await expect(traces.resultCount).toHaveText('4 traces');
    await expect(traces.result(RETRY_TRACE_ID).getByTestId('result-errors')).toHaveText('2 errors');
    await expect(traces.result(OK_TRACE_ID).getByTestId('result-errors')).toHaveCount(0);
    await expect(traces.result(SLOW_TRACE_ID).getByTestId('result-duration')).toHaveText('2.56 s');
    await traces.screenshot(join(SHOTS, 'traces-search.png'));
  });

  test('filters live in the URL and narrow the results', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const traces = new TracesPage(page);
    await traces.goto(consoleUrl());
    await expect(traces.results).toHaveCount(4);

    await traces.service.selectOption('reviews.default');
    await traces.errorsOnly.check();
    await traces.searchButton.click();
    await expect(page).toHaveURL(/\/traces\?service=reviews.default&errors=1$/);
    expect(await traces.resultIds()).toEqual([RETRY_TRACE_ID]);

    // A reload reads the filters back from the URL, into the form and the results.
    await page.reload();
    await expect(traces.service).toHaveValue('reviews.default');
    await expect(traces.errorsOnly).toBeChecked();
    await expect(traces.results).toHaveCount(1);

    // Service and operation match on one span: productpage's call to ratings is the fault trace's.
    await traces.service.selectOption('productpage.default');
    await traces.errorsOnly.uncheck();
    await traces.operation.selectOption('ratings.default.svc.cluster.local:9080/*');
    await traces.searchButton.click();
    await expect(page).toHaveURL(/operation=ratings.default.svc.cluster.local%3A9080%2F\*/);
    await expect(traces.results).toHaveCount(1);
    expect(await traces.resultIds()).toEqual([FAULT_TRACE_ID]);

    await traces.goto(consoleUrl(), '?minDurationMs=1000&lookback=15m');
    await expect(traces.minDuration).toHaveValue('1000');
    await expect(traces.lookback).toHaveValue('15m');
    await expect(traces.results).toHaveCount(1);
    expect(await traces.resultIds()).toEqual([SLOW_TRACE_ID]);

    await traces.goto(consoleUrl(), '?lookback=5m&minDurationMs=5000');
    await expect(traces.empty).toContainText('No trace matches these filters');
    await traces.screenshot(join(SHOTS, 'traces-no-match.png'));
  });

  test('a retry: the waterfall nests both tries under the server span and marks the failed one', async ({
    page,
  }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const traces = new TracesPage(page);
    await traces.goto(consoleUrl());
    await traces.result(RETRY_TRACE_ID).getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/traces/${RETRY_TRACE_ID}$`));

    const trace = new TraceWaterfallPage(page);
    await expect(trace.rows).toHaveCount(7);
    await expect(trace.errorCount).toHaveText('2');
    const rows = await trace.rowInfo();
    // Parent order: each try directly followed by what happened under it.
    expect(rows.map((r) => [r.spanId.slice(-2), r.depth, r.service, r.error])).toEqual([
      ['01', 0, 'productpage.default', false],
      ['02', 1, 'productpage.default', true],
      ['03', 2, 'reviews.default', true],
      ['04', 1, 'productpage.default', false],
      ['05', 2, 'reviews.default', false],
      ['06', 3, 'reviews.default', false],
      ['07', 4, 'ratings.default', false],
    ]);
    const [root, try1, , try2] = rows;
    expect(try1!.parentId).toBe(root!.spanId);
    expect(try2!.parentId).toBe(root!.spanId);
    expect(root!.offsetPct).toBe(0);
    expect(root!.widthPct).toBe(100);
    expect(try2!.offsetPct, 'the second try starts after the first ended').toBeGreaterThan(
      try1!.offsetPct + try1!.widthPct,
    );
    await expect(trace.row(try1!.spanId).getByTestId('span-retry')).toHaveText('try 1');
    await expect(trace.row(try2!.spanId).getByTestId('span-retry')).toHaveText('try 2');
    await expect(trace.row(try1!.spanId).getByTestId('span-error-mark')).toBeVisible();
    await expect(trace.row(try2!.spanId).getByTestId('span-error-mark')).toHaveCount(0);

    // Attributes on click, and the selection in the URL.
    await trace.row(try1!.spanId).click();
    await expect(page).toHaveURL(new RegExp(`\\?span=${try1!.spanId}$`));
    await expect(trace.details).toHaveAttribute('data-span-id', try1!.spanId);
    await expect(trace.attribute('http.status_code')).toHaveText('503');
    await expect(trace.attribute('retry.attempt')).toHaveText('1');
    await expect(trace.details.getByTestId('span-status')).toHaveText('error');
    await trace.screenshot(join(SHOTS, 'traces-waterfall-retry.png'));
  });

  test('a fault abort: the client span carries FI and is marked as an error', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const trace = new TraceWaterfallPage(page);
    await trace.goto(consoleUrl(), FAULT_TRACE_ID);
    await expect(trace.rows).toHaveCount(2);
    const [root, abort] = await trace.rowInfo();
    expect(root).toMatchObject({ depth: 0, error: false, flags: [] });
    expect(abort).toMatchObject({ depth: 1, error: true, flags: ['FI'], parentId: root!.spanId });
    await expect(trace.row(abort!.spanId).getByTestId('span-flag')).toHaveText('FI');
    await trace.row(abort!.spanId).click();
    await expect(trace.attribute('response_flags')).toHaveText('FI');
    await trace.screenshot(join(SHOTS, 'traces-waterfall-fault.png'));
  });

  test('a trace the store does not hold says so', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const trace = new TraceWaterfallPage(page);
    await trace.goto(consoleUrl(), 'ffffffffffffffffffffffffffffffff');
    await expect(trace.empty).toContainText('Trace not found');
    await trace.goto(consoleUrl(), 'not-a-trace-id');
    await expect(trace.empty).toContainText('Trace not found');
    await expect(trace.empty).toContainText('is not a trace id');
    await trace.screenshot(join(SHOTS, 'traces-not-found.png'));
  });

  test('Search with unchanged filters asks again and shows traces that arrived since', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'empty' });
    const traces = new TracesPage(page);
    await traces.goto(consoleUrl());
    await expect(traces.empty).toContainText('No traces in the last 1h');
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    await traces.searchButton.click();
    await expect(traces.results).toHaveCount(4);
    await expect(page).toHaveURL(/\/traces$/);
  });

  test('empty store and unreachable control plane', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'empty' });
    const traces = new TracesPage(page);
    await traces.goto(consoleUrl());
    await expect(traces.empty).toContainText('No traces in the last 1h');
    await traces.screenshot(join(SHOTS, 'traces-empty.png'));

    await setStub(stubUrl(), { scenario: 'down' });
    await traces.goto(consoleUrl());
    await expect(traces.error).toBeVisible({ timeout: 30_000 });
    await expect(traces.errorCode).toHaveText('CONTROL_PLANE_UNREACHABLE');
    await traces.screenshot(join(SHOTS, 'traces-error.png'));
  });
});
