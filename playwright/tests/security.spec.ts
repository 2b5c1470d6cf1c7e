// The mTLS switch against a real `trellis controlplane`: the PeerAuthentication the page applies is
// read back through the control plane's API. Which clients send plaintext comes from the graph
// overlay (support/real-control-plane.ts), the only test double: no sidecars run here.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { GraphEdge, GraphNode, ServiceGraph } from '@trellis/shared/telemetry-api';
import { SecurityPage } from '../pages/security-page';
import { ROOT } from '../support/processes';
import { PA_PATH, type RealControlPlane, startRealControlPlane } from '../support/real-control-plane';

const SHOTS = join(ROOT, 'test-results/console');

const sig = (rps: number) => ({ rps, errorRate: 0, p50Ms: 4, p95Ms: 8, p99Ms: 11 });
const wl = (namespace: string, name: string): GraphNode => ({
  id: `workload:${namespace}/${name}`,
  kind: 'workload',
  namespace,
  workload: name,
  app: name.replace(/-v\d+$/, ''),
  version: 'v1',
  inbound: sig(0),
  outboundRps: 0,
});
const edge = (
  source: string,
  target: string,
  service: string,
  rps: number,
  mtlsShare: number | null,
): GraphEdge => ({
  id: `${source}->${target}|http`,
  source,
  target,
  protocol: 'http',
  destinationService: service,
  mtlsShare,
  responseCodes: { '200': rps },
  responseFlags: {},
  ...sig(rps),
});

/**
 * Into namespace shop: an unmeshed client (plaintext), tools/curl half plaintext, and
 * productpage → reviews all mTLS (must not be listed).
 */
function graph(): ServiceGraph {
  const endMs = Date.now();
  return {
    backend: 'builtin',
    window: { startMs: endMs - 60_000, endMs, windowSeconds: 60 },
    nodes: [
      { id: 'unknown', kind: 'unknown', namespace: 'unknown', inbound: sig(0), outboundRps: 2 },
      wl('tools', 'curl'),
      wl('shop', 'productpage-v1'),
      wl('shop', 'reviews-v1'),
    ],
    edges: [
      edge('unknown', 'workload:shop/productpage-v1', 'productpage.shop.svc.cluster.local', 3, 0),
      edge('workload:tools/curl', 'workload:shop/reviews-v1', 'reviews.shop.svc.cluster.local', 4, 0.5),
      edge(
        'workload:shop/productpage-v1',
        'workload:shop/reviews-v1',
        'reviews.shop.svc.cluster.local',
        9,
        1,
      ),
    ],
  };
}

const modeOf = (o: { spec: Record<string, unknown> } | null) =>
  (o?.spec.mtls as { mode?: string } | undefined)?.mode;

test.describe('mTLS switch', () => {
  test.describe.configure({ mode: 'serial' });
  let cp: RealControlPlane;
  let consoleUrl: string;

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    cp = await startRealControlPlane({ graph });
    consoleUrl = await cp.startConsole();
  });
  test.afterAll(async () => {
    await cp?.stop();
  });

  test('switching to STRICT previews the plaintext clients first, then stores mode STRICT', async ({
    page,
  }) => {
    const security = new SecurityPage(page);
    await security.goto(consoleUrl, 'shop');
    await expect(security.heading).toHaveText('mTLS: shop');
    await expect(security.effectiveMode).toHaveText('PERMISSIVE');
    await expect(security.modeSource).toContainText('Istio’s default');
    await expect(security.namespacePolicy).toHaveText('none');
    await security.screenshot(join(SHOTS, 'security-permissive.png'));

    await security.modeSwitch.click();
    await expect(security.preview).toBeVisible();
    // Nothing is written by opening the preview.
    expect(await cp.api.get(PA_PATH('shop', 'default'))).toBeNull();
    expect(await security.previewSources()).toEqual(['unknown', 'tools/curl']);
    await expect(security.preview).toContainText('outside the mesh');
    await expect(security.preview.getByTestId('plaintext-client').nth(1)).toContainText('50%');
    await security.screenshot(join(SHOTS, 'security-preview.png'));

    await security.confirmStrict.click();
    await expect(security.applyOk).toContainText('mode STRICT');
    const stored = await cp.api.get(PA_PATH('shop', 'default'));
    expect(stored?.kind).toBe('PeerAuthentication');
    expect(modeOf(stored)).toBe('STRICT');
    await expect(security.effectiveMode).toHaveText('STRICT');
    await expect(security.modeSource).toContainText('this namespace');
    const [latest] = (await cp.api.history('PeerAuthentication', 'shop', 'default')).items;
    expect(latest?.verb).toBe('create');
    await security.screenshot(join(SHOTS, 'security-strict.png'));

    // And back: PERMISSIVE patches the same policy, against the version the page loaded.
    await security.modeSwitch.click();
    await expect(security.effectiveMode).toHaveText('PERMISSIVE');
    expect(modeOf(await cp.api.get(PA_PATH('shop', 'default')))).toBe('PERMISSIVE');
  });

  test('a namespace without a policy inherits the mesh-wide mode from the root namespace', async ({
    page,
  }) => {
    const mesh = await cp.api.send('POST', PA_PATH('istio-system'), {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    expect(mesh.status).toBe(201);
    const security = new SecurityPage(page);
    await security.goto(consoleUrl, 'payments');
    await expect(security.effectiveMode).toHaveText('STRICT');
    await expect(security.modeSource).toContainText('mesh-wide');
    await security.screenshot(join(SHOTS, 'security-mesh.png'));
  });

  test('a change made meanwhile answers 409 and the switch stores nothing', async ({ page }) => {
    const security = new SecurityPage(page);
    await security.goto(consoleUrl, 'shop');
    await expect(security.effectiveMode).toHaveText('PERMISSIVE');
    // Hold the page's background refresh (every 5 s), so the change below lands between the page's
    // last load and the click, as when someone writes while you read the preview.
    await page.route('**/api/security/shop', (route) =>
      route.request().method() === 'GET' ? route.abort() : route.continue(),
    );
    const before = await cp.api.get(PA_PATH('shop', 'default'));
    const theirs = await cp.api.send(
      'PATCH',
      PA_PATH('shop', 'default'),
      { metadata: { labels: { owner: 'team-b' } } },
      { actor: 'bob', contentType: 'application/merge-patch+json' },
    );
    expect(theirs.status).toBe(200);
    await security.modeSwitch.click();
    await security.confirmStrict.click();
    await expect(security.writeError).toHaveAttribute('data-code', 'CONTROL_PLANE_CONFLICT');
    const after = await cp.api.get(PA_PATH('shop', 'default'));
    expect(modeOf(after)).toBe('PERMISSIVE');
    // Still bob's version: the console's write did not land.
    const bobs = (theirs.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    expect(after?.metadata.resourceVersion).toBe(bobs);
    expect(bobs).not.toBe(before?.metadata.resourceVersion);
    expect((await cp.api.history('PeerAuthentication', 'shop', 'default')).items[0]?.actor).toBe('bob');
    await security.screenshot(join(SHOTS, 'security-conflict.png'));
  });
});
