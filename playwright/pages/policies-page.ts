import type { Locator, Page } from '@playwright/test';

/** The policy studio (/policies), by its data-testid hooks. */
export class PoliciesPage {
  readonly heading: Locator;
  readonly editor: Locator;
  readonly check: Locator;
  readonly diff: Locator;
  readonly apply: Locator;
  readonly output: Locator;
  readonly failed: Locator;
  readonly causes: Locator;
  readonly causeFields: Locator;
  readonly warnings: Locator;
  readonly checked: Locator;
  readonly applied: Locator;
  readonly reverted: Locator;
  readonly diffAdded: Locator;
  readonly diffRemoved: Locator;
  readonly errorLines: Locator;
  readonly items: Locator;
  readonly historyRows: Locator;
  readonly baseVersion: Locator;
  readonly forceRevert: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Policy studio' });
    this.editor = page.getByTestId('policy-editor');
    this.check = page.getByTestId('check');
    this.diff = page.getByTestId('diff');
    this.apply = page.getByTestId('apply');
    this.output = page.getByTestId('output');
    this.failed = page.getByTestId('output-failed');
    this.causes = page.getByTestId('output').getByTestId('cause');
    this.causeFields = page.getByTestId('cause-field');
    this.warnings = page.getByTestId('output').getByTestId('warning');
    this.checked = page.getByTestId('output-checked');
    this.applied = page.getByTestId('output-applied');
    this.reverted = page.getByTestId('output-reverted');
    this.diffAdded = page.getByTestId('diff-added');
    this.diffRemoved = page.getByTestId('diff-removed');
    this.errorLines = page.getByTestId('gutter-error');
    this.items = page.getByTestId('policy-item');
    this.historyRows = page.getByTestId('history-row');
    this.baseVersion = page.getByTestId('base-version');
    this.forceRevert = page.getByTestId('force-revert');
  }

  async goto(baseUrl: string, query = ''): Promise<void> {
    await this.page.goto(`${baseUrl}/policies${query}`);
  }

  async setYaml(text: string): Promise<void> {
    await this.editor.fill(text);
  }

  async yaml(): Promise<string> {
    return this.editor.inputValue();
  }

  item(kind: string, namespace: string, name: string): Locator {
    return this.page.locator(
      `[data-testid="policy-item"][data-kind="${kind}"][data-namespace="${namespace}"][data-name="${name}"]`,
    );
  }

  historyRow(resourceVersion: string): Locator {
    return this.page.locator(`[data-testid="history-row"][data-rv="${resourceVersion}"]`);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
