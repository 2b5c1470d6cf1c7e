import type { Locator, Page } from '@playwright/test';

/** The mesh overview (/), by its data-testid hooks. */
export class OverviewPage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly loading: Locator;
  readonly empty: Locator;
  readonly error: Locator;
  readonly errorCode: Locator;
  readonly sourceBanners: Locator;
  readonly staleBanner: Locator;
  readonly namespaceFilter: Locator;
  readonly workloadCount: Locator;
  readonly refresh: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Mesh overview' });
    this.table = page.getByTestId('workloads-table');
    this.rows = page.getByTestId('workload-row');
    this.loading = page.getByTestId('state-loading');
    this.empty = page.getByTestId('state-empty');
    this.error = page.getByTestId('state-error');
    this.errorCode = page.getByTestId('state-error').getByTestId('error-code');
    this.sourceBanners = page.getByTestId('source-banner');
    this.staleBanner = page.getByTestId('stale-banner');
    this.namespaceFilter = page.getByTestId('namespace-filter');
    this.workloadCount = page.getByTestId('workload-count');
    this.refresh = page.getByTestId('refresh-indicator');
  }

  async goto(baseUrl: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/${query}`);
  }

  row(workload: string): Locator {
    return this.page.locator(`[data-testid="workload-row"][data-workload="${workload}"]`);
  }

  /** The visible text of one row's cells, keyed by column. */
  async cells(
    workload: string,
  ): Promise<Record<'workload' | 'namespace' | 'version' | 'sync' | 'rps' | 'errors' | 'p99', string>> {
    const texts = (await this.row(workload).locator('td').allInnerTexts()).map((t) => t.trim());
    const [, namespace = '', version = '', sync = '', rps = '', errors = '', p99 = ''] = texts;
    const name = ((await this.row(workload).getByTestId('cell-workload').textContent()) ?? '').trim();
    return { workload: name, namespace, version, sync, rps, errors, p99 };
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
