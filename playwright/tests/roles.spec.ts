// Roles against a real `trellis controlplane` and a console in token mode: a viewer sees no write
// controls and the server refuses a viewer's forged write (403, nothing stored); an operator's
// write is recorded in the control plane's history under the operator's name.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CanaryPage } from '../pages/canary-page';
import { LoginPage } from '../pages/login-page';
import { SecurityPage } from '../pages/security-page';
import { ROOT } from '../support/processes';
import {
  DR_PATH,
  PA_PATH,
  type RealControlPlane,
  type StoredObject,
  startRealControlPlane,
  VS_PATH,
} from '../support/real-control-plane';

const SHOTS = join(ROOT, 'test-results/console');
const ALICE = 'alice-7f3e9c1d-operator-token';
const VIC = 'vic-22b8a4e0-viewer-token';
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const USERS = `# name, role and the SHA-256 of each token; the tokens themselves are not stored
- name: alice
  role: operator
  tokenSha256: ${sha(ALICE)}
- name: vic
  role: viewer
  tokenSha256: ${sha(VIC)}
`;

const weightsOf = (vs: StoredObject | null) =>
  ((vs?.spec.http as { route: { weight?: number }[] }[] | undefined)?.[0]?.route ?? []).map((d) => d.weight);

test.describe('roles', () => {
  test.describe.configure({ mode: 'serial' });
  let cp: RealControlPlane;
  let consoleUrl: string;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    cp = await startRealControlPlane();
    consoleUrl = await cp.startConsole({
      TRELLIS_CONSOLE_AUTH: 'token',
      TRELLIS_CONSOLE_USERS_FILE: cp.writeFile('users.yaml', USERS),
    });
    await cp.api.send('POST', DR_PATH('default'), {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: { host: 'reviews', subsets: ['v1', 'v2'].map((v) => ({ name: v, labels: { version: v } })) },
    });
    const vs = await cp.api.send('POST', VS_PATH('default'), {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        hosts: ['reviews'],
        http: [
          {
            route: [
              { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
              { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
            ],
          },
        ],
      },
    });
    expect(vs.status).toBe(201);
  });
  test.afterAll(async () => {
    await cp?.stop();
  });

  test('before sign-in pages go to /login and APIs answer 401; a wrong token is refused', async ({
    page,
  }) => {
    const login = new LoginPage(page);
    await page.goto(`${consoleUrl}/canary?namespace=default&service=reviews`);
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(login.form).toBeVisible();
    await login.screenshot(join(SHOTS, 'login-form.png'));

    await login.signIn('not-a-token');
    await expect(login.error).toContainText('does not belong to any user');
    await login.screenshot(join(SHOTS, 'login-error.png'));

    const read = await page.request.get(`${consoleUrl}/api/canary/default/reviews`);
    expect(read.status()).toBe(401);
    const before = await cp.api.get(VS_PATH('default', 'reviews'));
    const write = await page.request.put(`${consoleUrl}/api/canary/default/reviews`, {
      data: {
        virtualService: 'reviews',
        resourceVersion: before?.metadata.resourceVersion,
        routes: [{ index: 0, weights: [10, 90] }],
      },
    });
    expect(write.status()).toBe(401);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect(await cp.api.get(VS_PATH('default', 'reviews'))).toEqual(before);
  });

  test('a viewer sees no write controls, and a forged write by a viewer gets 403 and stores nothing', async ({
    page,
  }) => {
    const login = new LoginPage(page);
    await page.goto(`${consoleUrl}/canary?namespace=default&service=reviews`);
    await login.signIn(VIC);
    await expect(page).toHaveURL(/\/canary\?namespace=default&service=reviews$/);
    await expect(login.userName).toHaveText('vic');
    await expect(login.userRole).toHaveText('viewer');

    const canary = new CanaryPage(page);
    await expect(canary.routes).toHaveCount(1);
    await expect(canary.readonlyNote).toBeVisible();
    await expect(canary.sliders).toHaveCount(0);
    await expect(canary.inputs).toHaveCount(0);
    await expect(canary.apply).toHaveCount(0);
    await expect(page.getByTestId('weight-value')).toHaveText(['50', '50']);
    await login.screenshot(join(SHOTS, 'login-viewer-canary.png'));

    const security = new SecurityPage(page);
    await security.goto(consoleUrl, 'default');
    await expect(security.effectiveMode).toHaveText('PERMISSIVE');
    await expect(security.readonlyNote).toBeVisible();
    await expect(security.modeSwitch).toHaveCount(0);
    await login.screenshot(join(SHOTS, 'login-viewer-security.png'));

    // Forged writes with the viewer's own session cookie.
    const before = await cp.api.get(VS_PATH('default', 'reviews'));
    const canaryWrite = await page.request.put(`${consoleUrl}/api/canary/default/reviews`, {
      data: {
        virtualService: 'reviews',
        resourceVersion: before?.metadata.resourceVersion,
        routes: [{ index: 0, weights: [70, 30] }],
      },
    });
    expect(canaryWrite.status()).toBe(403);
    expect(((await canaryWrite.json()) as { error: { code: string } }).error.code).toBe(
      'FORBIDDEN_VIEWER_READ_ONLY',
    );
    expect(await cp.api.get(VS_PATH('default', 'reviews'))).toEqual(before);

    const strict = await page.request.put(`${consoleUrl}/api/security/default`, {
      data: { mode: 'STRICT', resourceVersion: null },
    });
    expect(strict.status()).toBe(403);
    expect(await cp.api.get(PA_PATH('default', 'default'))).toBeNull();

    // A session cookie rewritten to name the operator fails its signature: not signed in at all.
    const cookies = await page.context().cookies(consoleUrl);
    const session = cookies.find((c) => c.name === 'trellis_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    const [, mac] = (session?.value ?? '').split('.');
    const forged = Buffer.from(
      JSON.stringify({ u: 'alice', exp: Math.floor(Date.now() / 1000) + 3600 }),
    ).toString('base64url');
    await page.context().addCookies([{ ...session!, value: `${forged}.${mac}` }]);
    const me = (await (await page.request.get(`${consoleUrl}/api/me`)).json()) as { principal: unknown };
    expect(me.principal).toBeNull();
    const forgedWrite = await page.request.put(`${consoleUrl}/api/canary/default/reviews`, {
      data: {
        virtualService: 'reviews',
        resourceVersion: before?.metadata.resourceVersion,
        routes: [{ index: 0, weights: [70, 30] }],
      },
    });
    expect(forgedWrite.status()).toBe(401);
    expect(await cp.api.get(VS_PATH('default', 'reviews'))).toEqual(before);
  });

  test('signing in while who-am-I is still loading shows the signed-in user', async ({ page }) => {
    // On a slow machine the login page's first /api/me (sent before the cookie existed) can still
    // be in flight when sign-in succeeds; its answer must not be taken as the new session's.
    let calls = 0;
    await page.route('**/api/me', async (route) => {
      if (calls++ > 0) return route.continue();
      // The first answer is fetched now (no session yet) and delivered two seconds later.
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, 2_000));
      await route.fulfill({ response });
    });
    const login = new LoginPage(page);
    await login.goto(consoleUrl);
    await login.signIn(ALICE);
    await expect(login.userName).toHaveText('alice');
    await expect(login.userRole).toHaveText('operator');
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  test('an operator writes, and the history records the operator as the actor', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto(consoleUrl);
    await login.signIn(ALICE);
    await expect(login.userName).toHaveText('alice');
    await expect(login.userRole).toHaveText('operator');

    const canary = new CanaryPage(page);
    await canary.goto(consoleUrl, 'default', 'reviews');
    await canary.dragTo('v1', 70);
    await canary.apply.click();
    await expect(canary.applyOk).toContainText('70 / 30');
    expect(weightsOf(await cp.api.get(VS_PATH('default', 'reviews')))).toEqual([70, 30]);
    const [vsChange] = (await cp.api.history('VirtualService', 'default', 'reviews')).items;
    expect(vsChange?.actor).toBe('alice');
    await login.screenshot(join(SHOTS, 'login-operator-canary.png'));

    const security = new SecurityPage(page);
    await security.goto(consoleUrl, 'default');
    await security.modeSwitch.click();
    await security.confirmStrict.click();
    await expect(security.applyOk).toContainText('mode STRICT');
    const [paChange] = (await cp.api.history('PeerAuthentication', 'default', 'default')).items;
    expect(paChange?.actor).toBe('alice');
    expect((paChange?.after?.spec as { mtls?: { mode?: string } } | undefined)?.mtls?.mode).toBe('STRICT');

    await login.signOut.click();
    await expect(page).toHaveURL(/\/login/);
    const me = (await (await page.request.get(`${consoleUrl}/api/me`)).json()) as { principal: unknown };
    expect(me.principal).toBeNull();
  });

  test('the users file is re-read when it changes: a new role applies, a removed user is signed out, a broken edit keeps the last good list', async ({
    browser,
  }) => {
    const signedIn = async (token: string) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const login = new LoginPage(page);
      await login.goto(consoleUrl);
      await login.signIn(token);
      await expect(login.userName).toBeVisible();
      return { context, page, login };
    };
    const principalOf = async (page: import('@playwright/test').Page) =>
      ((await (await page.request.get(`${consoleUrl}/api/me`)).json()) as { principal: unknown }).principal;
    const alice = await signedIn(ALICE);
    const vic = await signedIn(VIC);
    try {
      await expect(vic.login.userRole).toHaveText('viewer');
      // vic becomes an operator, alice is removed: no restart.
      cp.writeFile('users.yaml', `- name: vic\n  role: operator\n  tokenSha256: ${sha(VIC)}\n`);
      await expect.poll(() => principalOf(vic.page)).toEqual({ user: 'vic', role: 'operator' });
      await vic.page.reload();
      await expect(vic.login.userRole).toHaveText('operator');
      expect(await principalOf(alice.page)).toBeNull();
      expect((await alice.page.request.get(`${consoleUrl}/api/canary`)).status()).toBe(401);

      // A half-written edit: the last good list stays in force.
      cp.writeFile('users.yaml', '- name: vic\n  role: operat');
      expect(await principalOf(vic.page)).toEqual({ user: 'vic', role: 'operator' });
    } finally {
      cp.writeFile('users.yaml', USERS);
      await alice.context.close();
      await vic.context.close();
    }
  });
});
