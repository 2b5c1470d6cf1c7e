import type { Locator, Page } from '@playwright/test';

export type ChartId = 'rps' | 'errorPct' | 'p50Ms' | 'p95Ms' | 'p99Ms';

/** The service page (/services/NS/NAME), by its data-testid hooks. */
export class ServicePage {
  readonly heading: Locator;
  readonly metrics: Locator;
  readonly summaryRows: Locator;
  readonly endpoints: Locator;
  readonly endpointRows: Locator;
  readonly outlierNote: Locator;
  readonly config: Locator;
  readonly configObjects: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.metrics = page.getByTestId('metrics-section');
    this.summaryRows = page.getByTestId('summary-row');
    this.endpoints = page.getByTestId('endpoints-section');
    this.endpointRows = page.getByTestId('endpoint-row');
    this.outlierNote = page.getByTestId('outlier-note');
    this.config = page.getByTestId('config-section');
    this.configObjects = page.getByTestId('config-object');
  }

  async goto(baseUrl: string, namespace: string, service: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/services/${namespace}/${service}${query}`);
  }

  range(value: '5m' | '30m' | '1h'): Locator {
    return this.page.getByTestId(`range-${value}`);
  }

  chart(id: ChartId): Locator {
    return this.page.getByTestId(`chart-${id}`);
  }

  /** recharts draws one path per line that has points. */
  lines(id: ChartId): Locator {
    return this.chart(id).locator('.recharts-line path.recharts-line-curve');
  }

  async legend(id: ChartId): Promise<string[]> {
    return (await this.chart(id).locator('.recharts-legend-item-text').allInnerTexts()).map((t) => t.trim());
  }

  summaryRow(series: string): Locator {
    return this.page.locator(`[data-testid="summary-row"][data-series="${series}"]`);
  }

  async summary(series: string): Promise<Record<'rps' | 'errors' | 'p50' | 'p95' | 'p99', string>> {
    const row = this.summaryRow(series);
    const text = async (id: string) => ((await row.getByTestId(id).textContent()) ?? '').trim();
    return {
      rps: await text('summary-rps'),
      errors: await text('summary-errors'),
      p50: await text('summary-p50'),
      p95: await text('summary-p95'),
      p99: await text('summary-p99'),
    };
  }

  endpoint(proxyId: string): Locator {
    return this.page.locator(`[data-testid="endpoint-row"][data-proxy="${proxyId}"]`);
  }

  /** The endpoint's outlier ejection cell, as its callers report it. */
  outlier(proxyId: string): Locator {
    return this.endpoint(proxyId).getByTestId('cell-outlier').locator('[data-outlier]');
  }

  configObject(kind: 'VirtualService' | 'DestinationRule', nsName: string): Locator {
    return this.page.locator(`[data-testid="config-object"][data-kind="${kind}"][data-name="${nsName}"]`);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
