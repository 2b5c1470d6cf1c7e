import type { Locator, Page } from '@playwright/test';

/** Sign-in (/login) and the nav's user badge. */
export class LoginPage {
  readonly form: Locator;
  readonly token: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly userName: Locator;
  readonly userRole: Locator;
  readonly signOut: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId('login');
    this.token = page.getByTestId('login-token');
    this.submit = page.getByTestId('login-submit');
    this.error = page.getByTestId('login-error');
    this.userName = page.getByTestId('user-name');
    this.userRole = page.getByTestId('user-role');
    this.signOut = page.getByTestId('sign-out');
  }

  async goto(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/login`);
  }

  async signIn(token: string): Promise<void> {
    await this.token.fill(token);
    await this.submit.click();
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
