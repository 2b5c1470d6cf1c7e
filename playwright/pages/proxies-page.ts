import type { Locator, Page } from '@playwright/test';

export type ProxyCells = Record<
  | 'workload'
  | 'proxyId'
  | 'namespace'
  | 'version'
  | 'sync'
  | 'config'
  | 'lastAck'
  | 'connected'
  | 'proxyVersion',
  string
>;

/** The proxies page (/proxies), by its data-testid hooks. */
export class ProxiesPage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly loading: Locator;
  readonly empty: Locator;
  readonly error: Locator;
  readonly errorCode: Locator;
  readonly staleBanner: Locator;
  readonly summary: Locator;
  readonly namespaceFilter: Locator;
  readonly stateFilter: Locator;
  readonly count: Locator;
  readonly refresh: Locator;
  readonly clearFilters: Locator;
  readonly certNote: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Proxies' });
    this.table = page.getByTestId('proxies-table');
    this.rows = page.getByTestId('proxy-row');
    this.loading = page.getByTestId('state-loading');
    this.empty = page.getByTestId('state-empty');
    this.error = page.getByTestId('state-error');
    this.errorCode = page.getByTestId('state-error').getByTestId('error-code');
    this.staleBanner = page.getByTestId('stale-banner');
    this.summary = page.getByTestId('proxies-summary');
    this.namespaceFilter = page.getByTestId('namespace-filter');
    this.stateFilter = page.getByTestId('state-filter');
    this.count = page.getByTestId('proxy-count');
    this.refresh = page.getByTestId('refresh-indicator');
    this.clearFilters = page.getByTestId('clear-filters');
    this.certNote = page.getByTestId('cert-note');
  }

  async goto(baseUrl: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/proxies${query}`);
  }

  row(workload: string): Locator {
    return this.page.locator(`[data-testid="proxy-row"][data-workload="${workload}"]`);
  }

  /** The summary's link for one state (SYNCED, NACKED, ...), or ALL for the total. */
  summaryPart(state: string): Locator {
    return this.summary.locator(`[data-testid="summary-part"][data-state="${state}"]`);
  }

  errorToggle(workload: string): Locator {
    return this.row(workload).getByTestId('error-toggle');
  }

  /** The expanded NACK error of one proxy (by its id). */
  errorText(proxyId: string): Locator {
    return this.page.locator(
      `[data-testid="proxy-error-row"][data-proxy="${proxyId}"] [data-testid="proxy-error"]`,
    );
  }

  /** Rows' workloads, top to bottom. */
  async order(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-workload') ?? ''));
  }

  /** The visible text of one row's cells, keyed by column. */
  async cells(workload: string): Promise<ProxyCells> {
    const row = this.row(workload);
    const text = async (id: string) => ((await row.getByTestId(id).textContent()) ?? '').trim();
    return {
      workload: await text('cell-workload'),
      proxyId: await text('cell-proxy-id'),
      namespace: await text('cell-namespace'),
      version: await text('cell-version'),
      sync: ((await row.getByTestId('cell-sync').locator('.badge').textContent()) ?? '').trim(),
      config: (await text('cell-config')).replace(/\s+/g, ' '),
      lastAck: await text('cell-last-ack'),
      connected: await text('cell-connected'),
      proxyVersion: await text('cell-proxy-version'),
    };
  }

  /** One row's certificate cell: its state, the expiry text and the SPIFFE id under it. */
  async cert(workload: string): Promise<{ state: string; text: string; spiffeId: string; red: boolean }> {
    const cell = this.row(workload).getByTestId('cell-cert');
    const badge = cell.getByTestId('cert-expiry');
    const spiffe = cell.getByTestId('cert-spiffe');
    return {
      state: (await cell.getAttribute('data-cert')) ?? '',
      text: ((await badge.textContent()) ?? '').trim(),
      spiffeId: (await spiffe.count()) > 0 ? ((await spiffe.textContent()) ?? '').trim() : '',
      red: /badge-bad/.test((await badge.getAttribute('class')) ?? ''),
    };
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
