import { expect, type Locator, type Page } from '@playwright/test';

/** The canary slider (/canary?namespace=&service=), by its data-testid hooks. */
export class CanaryPage {
  readonly heading: Locator;
  readonly routes: Locator;
  readonly sliders: Locator;
  readonly inputs: Locator;
  readonly apply: Locator;
  readonly applyOk: Locator;
  readonly writeError: Locator;
  readonly writeErrorCauses: Locator;
  readonly reload: Locator;
  readonly readonlyNote: Locator;
  readonly reset: Locator;
  readonly addVersion: Locator;
  readonly addSelect: Locator;
  readonly addButton: Locator;
  readonly candidates: Locator;
  readonly createShift: Locator;
  readonly shiftVersions: Locator;
  readonly createButton: Locator;
  readonly createOk: Locator;
  readonly createSum: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.routes = page.getByTestId('canary-route');
    this.sliders = page.getByTestId('weight-slider');
    this.inputs = page.getByTestId('weight-input');
    this.apply = page.getByTestId('apply');
    this.applyOk = page.getByTestId('apply-ok');
    this.writeError = page.getByTestId('write-error');
    this.writeErrorCauses = page.getByTestId('write-error-causes');
    this.reload = page.getByTestId('reload');
    this.readonlyNote = page.getByTestId('readonly-note');
    this.reset = page.getByTestId('reset');
    this.addVersion = page.getByTestId('add-version');
    this.addSelect = page.getByTestId('add-version-select');
    this.addButton = page.getByTestId('add-version-button');
    this.candidates = page.getByTestId('canary-candidates').locator('li');
    this.createShift = page.getByTestId('create-shift');
    this.shiftVersions = page.getByTestId('shift-version');
    this.createButton = page.getByTestId('create-shift-button');
    this.createOk = page.getByTestId('create-shift-ok');
    this.createSum = page.getByTestId('create-shift-sum');
  }

  async goto(baseUrl: string, namespace: string, service: string): Promise<void> {
    await this.page.goto(`${baseUrl}/canary?namespace=${namespace}&service=${service}`);
  }

  destination(subset: string): Locator {
    return this.page.locator(`[data-testid="split-destination"][data-subset="${subset}"]`);
  }

  /** Picks `subset` in the route's "Add version" select and adds it to the draft (at 0 %). */
  async add(subset: string): Promise<void> {
    await this.addSelect.selectOption(subset);
    await this.addButton.click();
    await expect(this.destination(subset)).toHaveAttribute('data-drafted', 'true');
  }

  /** "Create traffic shifting": the weight input of one version. */
  shiftWeight(version: string): Locator {
    return this.page.locator(
      `[data-testid="shift-version"][data-version="${version}"] [data-testid="shift-weight"]`,
    );
  }

  async shiftWeights(): Promise<number[]> {
    const inputs = await this.page.getByTestId('shift-weight').all();
    return Promise.all(inputs.map(async (i) => Number(await i.inputValue())));
  }

  async addOptions(): Promise<string[]> {
    return this.addSelect.locator('option').allTextContents();
  }

  async weights(): Promise<number[]> {
    const inputs = await this.inputs.all();
    return Promise.all(inputs.map(async (i) => Number(await i.inputValue())));
  }

  /**
   * Drags the slider of `subset` with the mouse to about `value` %, then steps with the arrow keys to
   * the exact value (a drag lands within a pixel or two of where it aims).
   */
  async dragTo(subset: string, value: number): Promise<void> {
    const slider = this.destination(subset).getByTestId('weight-slider');
    const box = await slider.boundingBox();
    if (!box) throw new Error(`no slider for ${subset}`);
    const y = box.y + box.height / 2;
    const from = Number(await slider.inputValue());
    await this.page.mouse.move(box.x + (box.width * from) / 100, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + (box.width * value) / 100, y, { steps: 8 });
    await this.page.mouse.up();
    for (let i = 0; i < 20; i++) {
      const now = Number(await slider.inputValue());
      if (now === value) break;
      await slider.press(now < value ? 'ArrowRight' : 'ArrowLeft');
    }
    await expect(slider).toHaveValue(String(value));
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
