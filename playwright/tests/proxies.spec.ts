// The proxies page (/proxies): the control plane's sync list as `istioctl proxy-status` shows it.
// Read states against the stub control plane (support/stub-control-plane.ts); then a real
// `trellis controlplane` with a real `trellis proxy` connected: Synced, then Disconnected once the
// proxy stops, as the control plane's own API reports it.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ProxyStatus } from '@trellis/controlplane/xds/status';
import { ProxiesPage } from '../pages/proxies-page';
import { type Proc, ROOT } from '../support/processes';
import {
  type RealControlPlane,
  startRealControlPlane,
  startReviewsSidecar,
} from '../support/real-control-plane';
import { setStub } from '../support/stub-control-plane';

const SHOTS = join(ROOT, 'test-results/console');
const consoleUrl = () => process.env.TRELLIS_CONSOLE_URL!;
const stubUrl = () => process.env.TRELLIS_STUB_URL!;

test.describe('proxies against a stub control plane', () => {
  test.afterEach(async () => {
    await setStub(stubUrl(), { scenario: 'bookinfo', productpageRps: 5 });
  });

  test('one row per proxy, worst first, with versions, sync, times and a summary line', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'bookinfo' });
    const proxies = new ProxiesPage(page);
    await proxies.goto(consoleUrl());

    await expect(proxies.heading).toBeVisible();
    await expect(proxies.rows).toHaveCount(6);
    await expect(proxies.summary).toHaveText('6 proxies · 5 synced · 1 stale');
    expect(await proxies.order()).toEqual([
      'reviews-v3',
      'details-v1',
      'productpage-v1',
      'ratings-v1',
      'reviews-v1',
      'reviews-v2',
    ]);
    expect(await proxies.cells('reviews-v3')).toEqual({
      workload: 'reviews-v3',
      proxyId: 'reviews-v3-1',
      namespace: 'default',
      version: 'v3',
      sync: 'Stale',
      config: '9b07d13 sent c1f4e2a',
      lastAck: 'just now',
      connected: 'just now',
      proxyVersion: '0.1.0',
    });
    expect(await proxies.cells('productpage-v1')).toMatchObject({ sync: 'Synced', config: 'c1f4e2a' });
    await expect(proxies.row('productpage-v1').getByTestId('cell-workload')).toHaveAttribute(
      'href',
      '/services/default/productpage',
    );
    // The exact time is one hover away.
    await expect(proxies.row('productpage-v1').getByTestId('cell-last-ack').locator('time')).toHaveAttribute(
      'title',
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/,
    );
    await expect(proxies.refresh).toContainText('every 5 s');
    // Certificates as each sidecar reports them (the control plane reads its admin /certs).
    expect(await proxies.cert('productpage-v1')).toEqual({
      state: 'valid',
      text: 'expires in 11 h',
      spiffeId: 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage',
      red: false,
    });
    // Under 10 % of its lifetime left: red.
    expect(await proxies.cert('reviews-v3')).toMatchObject({
      state: 'expiring',
      text: 'expires in 1 h',
      red: true,
    });
    expect(await proxies.cert('details-v1')).toEqual({
      state: 'unreachable',
      text: 'unreachable',
      spiffeId: '',
      red: false,
    });
    await expect(proxies.row('details-v1').getByTestId('cert-expiry')).toHaveAttribute(
      'title',
      /ECONNREFUSED/,
    );
    await expect(proxies.certNote).not.toContainText('not reported');
    await expect(proxies.certNote).toContainText('under 10 %');
    await proxies.screenshot(join(SHOTS, 'proxies-bookinfo.png'));

    // The page polls every 5 s: a proxy that NACKs at the control plane shows without a reload.
    await setStub(stubUrl(), { scenario: 'two-namespaces' });
    await expect(proxies.rows).toHaveCount(7, { timeout: 15_000 });
    await expect(proxies.rows.first()).toHaveAttribute('data-workload', 'httpbin-v1');
  });

  test('a NACKed proxy comes first and shows the error it sent when expanded', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'two-namespaces' });
    const proxies = new ProxiesPage(page);
    await proxies.goto(consoleUrl());
    await expect(proxies.rows).toHaveCount(7);
    await expect(proxies.summary).toHaveText('7 proxies · 5 synced · 1 NACKed · 1 stale');
    expect((await proxies.order()).slice(0, 2)).toEqual(['httpbin-v1', 'reviews-v3']);
    expect(await proxies.cells('httpbin-v1')).toMatchObject({
      namespace: 'tools',
      sync: 'NACKed',
      config: '9b07d13 sent c1f4e2a',
    });

    const toggle = proxies.errorToggle('httpbin-v1');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(proxies.errorText('httpbin-v1-1')).toHaveCount(0);
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(proxies.errorText('httpbin-v1-1')).toHaveText('route "httpbin": unknown subset "v9"');
    await expect(page.getByTestId('proxy-error-row')).toContainText('refused config version c1f4e2a');
    // A sidecar started without a mesh identity says so in the certificate column.
    expect(await proxies.cert('httpbin-v1')).toMatchObject({
      state: 'no-identity',
      text: 'no mesh identity',
    });
    // Only the proxy that NACKed has an error to show.
    await expect(page.getByTestId('error-toggle')).toHaveCount(1);
    await proxies.screenshot(join(SHOTS, 'proxies-nacked.png'));

    // Expanded stays expanded across a refresh (5 s), then collapses on request.
    await page.waitForTimeout(6_000);
    await expect(proxies.errorText('httpbin-v1-1')).toBeVisible();
    await toggle.click();
    await expect(proxies.errorText('httpbin-v1-1')).toHaveCount(0);
  });

  test('namespace and state filters live in the URL; the summary counts link to their state', async ({
    page,
  }) => {
    await setStub(stubUrl(), { scenario: 'two-namespaces' });
    const proxies = new ProxiesPage(page);
    await proxies.goto(consoleUrl());
    await expect(proxies.rows).toHaveCount(7);

    await proxies.stateFilter.selectOption('NACKED');
    await expect(page).toHaveURL(/\/proxies\?state=NACKED$/);
    await expect(proxies.rows).toHaveCount(1);
    await expect(proxies.count).toHaveText('1 of 7 proxies');

    await proxies.stateFilter.selectOption('');
    await proxies.namespaceFilter.selectOption('default');
    await expect(page).toHaveURL(/\/proxies\?namespace=default$/);
    await expect(proxies.rows).toHaveCount(6);
    // The summary speaks for the chosen namespace.
    await expect(proxies.summary).toHaveText('6 proxies · 5 synced · 1 stale');

    await proxies.summaryPart('SYNCED').click();
    await expect(page).toHaveURL(/\/proxies\?namespace=default&state=SYNCED$/);
    await expect(proxies.rows).toHaveCount(5);
    await expect(proxies.summaryPart('SYNCED')).toHaveAttribute('aria-current', 'true');
    await expect(proxies.stateFilter).toHaveValue('SYNCED');

    await page.reload();
    await expect(proxies.namespaceFilter).toHaveValue('default');
    await expect(proxies.stateFilter).toHaveValue('SYNCED');
    await expect(proxies.rows).toHaveCount(5);
    await expect(proxies.count).toHaveText('5 of 7 proxies');

    await proxies.summaryPart('ALL').click();
    await expect(page).toHaveURL(/\/proxies\?namespace=default$/);
    await expect(proxies.rows).toHaveCount(6);

    // Nothing matches: say so and offer the way back.
    await proxies.goto(consoleUrl(), '?namespace=default&state=nacked');
    await expect(proxies.stateFilter).toHaveValue('NACKED');
    await expect(proxies.empty).toContainText('No proxy matches these filters');
    await expect(proxies.table).toHaveCount(0);
    await proxies.screenshot(join(SHOTS, 'proxies-filtered-empty.png'));
    await proxies.clearFilters.click();
    await expect(page).toHaveURL(/\/proxies$/);
    await expect(proxies.rows).toHaveCount(7);

    // A state the console does not know is ignored, not an error.
    await proxies.goto(consoleUrl(), '?state=bogus');
    await expect(proxies.rows).toHaveCount(7);
  });

  test('the console route answers the sorted view, and the catalogue error when the control plane is down', async ({
    request,
  }) => {
    await setStub(stubUrl(), { scenario: 'two-namespaces' });
    const ok = await request.get(`${consoleUrl()}/api/proxies`);
    expect(ok.status()).toBe(200);
    const view = (await ok.json()) as {
      proxies: { id: string; state: string; lastError: string | null }[];
      summary: { total: number; byState: Record<string, number> };
    };
    expect(view.proxies.map((p) => p.state)).toEqual([
      'NACKED',
      'STALE',
      'SYNCED',
      'SYNCED',
      'SYNCED',
      'SYNCED',
      'SYNCED',
    ]);
    expect(view.proxies[0]!.lastError).toBe('route "httpbin": unknown subset "v9"');
    expect(view.summary).toEqual({
      total: 7,
      byState: { SYNCED: 5, STALE: 1, NACKED: 1, DISCONNECTED: 0, UNKNOWN: 0 },
    });

    await setStub(stubUrl(), { scenario: 'down' });
    const down = await request.get(`${consoleUrl()}/api/proxies`);
    expect(down.status()).toBe(502);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('CONTROL_PLANE_UNREACHABLE');
  });

  test('an empty mesh says how to connect a proxy', async ({ page }) => {
    await setStub(stubUrl(), { scenario: 'empty' });
    const proxies = new ProxiesPage(page);
    await proxies.goto(consoleUrl());
    await expect(proxies.empty).toContainText('No proxies connected');
    await expect(proxies.empty).toContainText('trellis proxy');
    await expect(proxies.table).toHaveCount(0);
    await expect(proxies.summary).toHaveCount(0);
    await proxies.screenshot(join(SHOTS, 'proxies-empty.png'));
  });

  test('loading, then an unreachable control plane as an error state that recovers on retry', async ({
    page,
  }) => {
    // Down for the server render too, so the browser fetches and shows its loading state first.
    await setStub(stubUrl(), { scenario: 'down' });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/proxies', async (route) => {
      await gate;
      await route.continue();
    });
    const proxies = new ProxiesPage(page);
    await proxies.goto(consoleUrl());
    await expect(proxies.loading).toContainText('Loading proxies');
    release();
    await expect(proxies.error).toContainText('Cannot load the proxy list', { timeout: 20_000 });
    await expect(proxies.errorCode).toHaveText('CONTROL_PLANE_UNREACHABLE');
    await expect(proxies.table).toHaveCount(0);
    await proxies.screenshot(join(SHOTS, 'proxies-error.png'));

    await setStub(stubUrl(), { scenario: 'bookinfo' });
    await proxies.error.getByRole('button', { name: 'Try again' }).click();
    await expect(proxies.rows).toHaveCount(6);
  });

  test('a failed refresh keeps the last good table and says it is stale', async ({ page }) => {
    const proxies = new ProxiesPage(page);
    await proxies.goto(consoleUrl());
    await expect(proxies.rows).toHaveCount(6);
    await setStub(stubUrl(), { scenario: 'error' });
    // Next poll (5 s) plus react-query's two retries (1 s, 2 s).
    await expect(proxies.staleBanner).toContainText('latest refresh failed', { timeout: 25_000 });
    await expect(proxies.rows).toHaveCount(6);
  });

  test('the nav reaches the page, which is no longer a placeholder', async ({ page }) => {
    await page.goto(consoleUrl());
    const link = page.getByTestId('nav-proxies');
    await expect(link).toHaveText('Proxies');
    await link.click();
    await expect(page).toHaveURL(/\/proxies$/);
    await expect(new ProxiesPage(page).heading).toBeVisible();
    await expect(link).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('coming-soon')).toHaveCount(0);
    await expect(new ProxiesPage(page).rows).toHaveCount(6);
  });
});

/** GET /api/v1/mesh/proxies from the real control plane. */
async function proxyList(cp: RealControlPlane): Promise<ProxyStatus[]> {
  const res = await fetch(`${cp.api.url}/api/v1/mesh/proxies`);
  if (!res.ok) throw new Error(`GET /api/v1/mesh/proxies: ${res.status}`);
  return (await res.json()) as ProxyStatus[];
}

async function untilProxy(
  cp: RealControlPlane,
  workload: string,
  state: ProxyStatus['state'],
  proc: Proc,
  timeoutMs: number,
): Promise<ProxyStatus> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await proxyList(cp)).find((p) => p.workload === workload);
    if (found?.state === state) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${workload} did not become ${state} within ${timeoutMs} ms:\n${proc.output()}`);
}

test.describe('proxies against a real control plane and sidecar', () => {
  let cp: RealControlPlane;
  let consoleAt: string;
  let app: Server;
  let sidecar: Proc;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    cp = await startRealControlPlane();
    consoleAt = await cp.startConsole();
    // The workload behind the sidecar: answers with its version.
    app = createServer((_req, res) => res.end('v1'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    sidecar = await startReviewsSidecar(cp, 'v1', (app.address() as AddressInfo).port);
  });

  test.afterAll(async () => {
    await sidecar?.stop();
    await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
    await cp?.stop();
  });

  test('a connected sidecar shows as Synced at the version the control plane sent, then Disconnected when it stops', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const synced = await untilProxy(cp, 'reviews-v1', 'SYNCED', sidecar, 60_000);
    expect(synced.version).not.toBe('');
    expect(synced.services).toEqual([{ name: 'reviews', port: 9080 }]);

    const proxies = new ProxiesPage(page);
    await proxies.goto(consoleAt);
    await expect(proxies.rows).toHaveCount(1);
    await expect(proxies.summary).toHaveText('1 proxy · 1 synced');
    expect(await proxies.cells('reviews-v1')).toMatchObject({
      workload: 'reviews-v1',
      proxyId: synced.id,
      namespace: 'default',
      version: 'v1',
      sync: 'Synced',
      config: synced.version,
      proxyVersion: synced.proxyVersion,
    });
    expect((await proxies.cells('reviews-v1')).lastAck).toMatch(/ago$|^just now$/);
    // Its certificate, read by the control plane from the sidecar's admin /certs (CA default 24 h).
    const certRes = await fetch(`${cp.api.url}/api/v1/mesh/proxies/${encodeURIComponent(synced.id)}/certs`);
    const certs = (await certRes.json()) as { status: string; certificate?: { notAfter: string } };
    expect(certs.status).toBe('ok');
    expect(Date.parse(certs.certificate!.notAfter)).toBeGreaterThan(Date.now());
    await expect(proxies.row('reviews-v1').getByTestId('cert-expiry')).toHaveText(
      /^expires in \d+ (h|min|s|d)$/,
    );
    expect(await proxies.cert('reviews-v1')).toMatchObject({
      state: 'valid',
      spiffeId: 'spiffe://cluster.local/ns/default/sa/reviews',
      red: false,
    });
    await proxies.screenshot(join(SHOTS, 'proxies-real-synced.png'));

    // The workload links to the service it serves.
    await proxies.row('reviews-v1').getByTestId('cell-workload').click();
    await expect(page).toHaveURL(/\/services\/default\/reviews$/);

    // Stop the sidecar: the control plane keeps it listed as DISCONNECTED, and so does the page.
    await sidecar.stop();
    await untilProxy(cp, 'reviews-v1', 'DISCONNECTED', sidecar, 30_000);
    await proxies.goto(consoleAt);
    await expect(proxies.row('reviews-v1')).toHaveAttribute('data-state', 'DISCONNECTED');
    await expect(proxies.summary).toHaveText('1 proxy · 0 synced · 1 disconnected');
    expect(await proxies.cells('reviews-v1')).toMatchObject({ sync: 'Disconnected', config: synced.version });
    expect((await proxies.cells('reviews-v1')).connected).toMatch(/^gone /);
    // The stopped sidecar's admin does not answer: said, not hidden.
    expect(await proxies.cert('reviews-v1')).toMatchObject({
      state: 'unreachable',
      text: 'unreachable',
    });
    await proxies.screenshot(join(SHOTS, 'proxies-real-disconnected.png'));
  });
});
