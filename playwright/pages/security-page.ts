import type { Locator, Page } from '@playwright/test';

/** The mTLS switch (/security?namespace=), by its data-testid hooks. */
export class SecurityPage {
  readonly heading: Locator;
  readonly effectiveMode: Locator;
  readonly modeSource: Locator;
  readonly namespacePolicy: Locator;
  readonly modeSwitch: Locator;
  readonly preview: Locator;
  readonly plaintextClients: Locator;
  readonly noPlaintext: Locator;
  readonly confirmStrict: Locator;
  readonly cancelStrict: Locator;
  readonly applyOk: Locator;
  readonly writeError: Locator;
  readonly readonlyNote: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.effectiveMode = page.getByTestId('effective-mode');
    this.modeSource = page.getByTestId('mode-source');
    this.namespacePolicy = page.getByTestId('namespace-policy');
    this.modeSwitch = page.getByTestId('mtls-switch');
    this.preview = page.getByTestId('strict-preview');
    this.plaintextClients = page.getByTestId('plaintext-client');
    this.noPlaintext = page.getByTestId('no-plaintext');
    this.confirmStrict = page.getByTestId('confirm-strict');
    this.cancelStrict = page.getByTestId('cancel-strict');
    this.applyOk = page.getByTestId('apply-ok');
    this.writeError = page.getByTestId('write-error');
    this.readonlyNote = page.getByTestId('readonly-note');
  }

  async goto(baseUrl: string, namespace: string): Promise<void> {
    await this.page.goto(`${baseUrl}/security?namespace=${namespace}`);
  }

  /** The sources named in the STRICT preview, in the order shown. */
  async previewSources(): Promise<string[]> {
    return this.preview
      .getByTestId('plaintext-client')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source') ?? ''));
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
