import type { Locator, Page } from '@playwright/test';

/** The trace search (/traces) and one trace's waterfall (/traces/ID), by their data-testid hooks. */
export class TracesPage {
  readonly heading: Locator;
  readonly form: Locator;
  readonly service: Locator;
  readonly operation: Locator;
  readonly minDuration: Locator;
  readonly errorsOnly: Locator;
  readonly lookback: Locator;
  readonly limit: Locator;
  readonly searchButton: Locator;
  readonly results: Locator;
  readonly resultCount: Locator;
  readonly empty: Locator;
  readonly error: Locator;
  readonly errorCode: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.form = page.getByTestId('trace-search-form');
    this.service = page.getByTestId('filter-service');
    this.operation = page.getByTestId('filter-operation');
    this.minDuration = page.getByTestId('filter-min-duration');
    this.errorsOnly = page.getByTestId('filter-errors');
    this.lookback = page.getByTestId('filter-lookback');
    this.limit = page.getByTestId('filter-limit');
    this.searchButton = page.getByTestId('search-button');
    this.results = page.getByTestId('trace-result');
    this.resultCount = page.getByTestId('result-count');
    this.empty = page.getByTestId('state-empty');
    this.error = page.getByTestId('state-error');
    this.errorCode = page.getByTestId('state-error').getByTestId('error-code');
  }

  async goto(baseUrl: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/traces${query}`);
  }

  result(traceId: string): Locator {
    return this.page.locator(`[data-testid="trace-result"][data-trace-id="${traceId}"]`);
  }

  async resultIds(): Promise<string[]> {
    return this.results.evaluateAll((els) => els.map((e) => e.getAttribute('data-trace-id') ?? ''));
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}

export interface SpanRowInfo {
  spanId: string;
  parentId: string;
  depth: number;
  service: string;
  name: string;
  error: boolean;
  flags: string[];
  offsetPct: number;
  widthPct: number;
}

export class TraceWaterfallPage {
  readonly heading: Locator;
  readonly waterfall: Locator;
  readonly rows: Locator;
  readonly details: Locator;
  readonly empty: Locator;
  readonly errorCount: Locator;
  readonly spanCount: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.waterfall = page.getByTestId('waterfall');
    this.rows = page.getByTestId('span-row');
    this.details = page.getByTestId('span-details');
    this.empty = page.getByTestId('state-empty');
    this.errorCount = page.getByTestId('trace-error-count');
    this.spanCount = page.getByTestId('trace-span-count');
  }

  async goto(baseUrl: string, traceId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/traces/${traceId}`);
  }

  row(spanId: string): Locator {
    return this.page.locator(`[data-testid="span-row"][data-span-id="${spanId}"]`);
  }

  /** Every row top to bottom, as the user sees them. */
  async rowInfo(): Promise<SpanRowInfo[]> {
    return this.rows.evaluateAll((els) =>
      els.map((e) => {
        const bar = e.querySelector('[data-testid="span-bar"]');
        return {
          spanId: e.getAttribute('data-span-id') ?? '',
          parentId: e.getAttribute('data-parent-id') ?? '',
          depth: Number(e.getAttribute('data-depth')),
          service: e.querySelector('[data-testid="span-service"]')?.textContent ?? '',
          name: e.querySelector('[data-testid="span-name"]')?.textContent ?? '',
          error: e.getAttribute('data-error') === 'true',
          flags: (e.getAttribute('data-flags') ?? '').split(',').filter((f: string) => f !== ''),
          offsetPct: Number(bar?.getAttribute('data-offset-pct')),
          widthPct: Number(bar?.getAttribute('data-width-pct')),
        };
      }),
    );
  }

  attribute(key: string): Locator {
    return this.details.getByTestId('span-attributes').locator(`tr[data-key="${key}"] td`);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
