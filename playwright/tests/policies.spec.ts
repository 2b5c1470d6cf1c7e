import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PoliciesPage } from '../pages/policies-page';
import { ROOT } from '../support/processes';
import { type RealControlPlane, startRealControlPlane } from '../support/real-control-plane';

const SHOTS = join(ROOT, 'test-results/console');
const VS = '/apis/networking.istio.io/v1/namespaces/default/virtualservices';

function reviewsYaml(v1: number, v2: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
spec:
  hosts:
    - reviews
  http:
    - route:
        - destination:
            host: reviews
            subset: v1
          weight: ${v1}
        - destination:
            host: reviews
            subset: v2
          weight: ${v2}
`;
}

interface StoredVs {
  metadata: { resourceVersion: string };
  spec: { http: { route: { weight?: number }[] }[] };
}

let stack: RealControlPlane;
let consoleUrl: string;

/** The stored object, read from the control plane itself (not through the console). */
async function stored(): Promise<{ status: number; body: StoredVs | null }> {
  const res = await fetch(`${stack.api.url}${VS}/reviews`, { headers: { accept: 'application/json' } });
  return { status: res.status, body: res.ok ? ((await res.json()) as StoredVs) : null };
}

async function storedWeights(): Promise<number[] | null> {
  const s = await stored();
  return s.body ? (s.body.spec.http[0]?.route.map((r) => r.weight ?? 0) ?? []) : null;
}

test.describe
  .serial('policy studio against a real control plane', () => {
    test.beforeAll(async () => {
      test.setTimeout(150_000);
      stack = await startRealControlPlane();
      consoleUrl = await stack.startConsole();
    });
    test.afterAll(async () => {
      await stack?.stop();
    });

    test('an invalid object shows the 422 field paths on their lines and stores nothing', async ({
      page,
    }) => {
      const studio = new PoliciesPage(page);
      await page.goto(consoleUrl);
      await page.getByTestId('nav-policies').click();
      await expect(studio.heading).toBeVisible();
      await expect(page.getByTestId('nav-policies')).toHaveAttribute('aria-current', 'page');
      await expect(page.getByTestId('policy-list-empty')).toBeVisible();

      await studio.setYaml(reviewsYaml(110, -10));
      await studio.check.click();
      await expect(studio.failed).toHaveAttribute('data-status', '422');
      await expect(studio.failed).toContainText('Invalid (422): nothing was stored');
      await expect(studio.causeFields).toContainText(['spec.http[0].route[1].weight']);
      await expect(studio.causes.first()).toContainText('weight -10 < 0');
      await expect(studio.causes.first()).toContainText('line 18');
      await expect(studio.errorLines).toHaveAttribute('data-line', '18');

      await studio.apply.click();
      await expect(studio.failed).toHaveAttribute('data-status', '422');
      await studio.screenshot(join(SHOTS, 'policies-invalid.png'));
      expect((await stored()).status, 'a refused apply stores nothing').toBe(404);

      // Weights that do not sum to 100 are Istio's warning (it normalises them), shown like istioctl analyze.
      await studio.setYaml(reviewsYaml(90, 20));
      await studio.check.click();
      await expect(studio.checked).toContainText(
        'Valid: the control plane would create VirtualService default/reviews',
      );
      await expect(studio.warnings.filter({ hasText: 'weights sum to 110' })).toHaveCount(1);
      await expect(studio.warnings.filter({ hasText: 'IST0101' }).first()).toContainText(
        'Referenced host not found',
      );
      await studio.screenshot(join(SHOTS, 'policies-check-warnings.png'));
      expect((await stored()).status, 'a check is a dry run').toBe(404);
    });

    test('apply creates, diff shows the changed lines, apply updates; both read back through the API', async ({
      page,
    }) => {
      const studio = new PoliciesPage(page);
      await studio.goto(consoleUrl);
      await studio.setYaml(reviewsYaml(80, 20));
      await studio.diff.click();
      await expect(studio.output).toContainText('is not stored yet');
      await studio.apply.click();
      await expect(studio.applied).toContainText('Applied: created VirtualService default/reviews');
      expect(await storedWeights()).toEqual([80, 20]);
      const created = (await stored()).body?.metadata.resourceVersion ?? '';
      await expect(studio.baseVersion).toHaveText(`based on resourceVersion ${created}`);
      await expect(page).toHaveURL(
        /open=VirtualService%2Fdefault%2Freviews|open=VirtualService\/default\/reviews/,
      );
      await expect(studio.item('VirtualService', 'default', 'reviews')).toContainText('v1 80 · v2 20');

      await studio.setYaml(
        (await studio.yaml()).replace('weight: 80', 'weight: 50').replace('weight: 20', 'weight: 50'),
      );
      await studio.diff.click();
      await expect(studio.diffRemoved).toHaveText([/weight: 80/, /weight: 20/]);
      await expect(studio.diffAdded).toHaveText([/weight: 50/, /weight: 50/]);
      await expect(page.getByTestId('diff-stats')).toHaveText('+2 −2');
      await studio.screenshot(join(SHOTS, 'policies-diff.png'));

      await studio.apply.click();
      await expect(studio.applied).toContainText('Applied: updated VirtualService default/reviews');
      expect(await storedWeights()).toEqual([50, 50]);
      await expect(studio.historyRows).toHaveCount(2);
      await expect(studio.historyRows.first()).toHaveAttribute('data-verb', 'update');
      await expect(studio.historyRows.first()).toHaveAttribute('data-actor', 'anonymous');
    });

    test('revert from History restores the previous weights; a stale revert is refused with 409', async ({
      page,
    }) => {
      const studio = new PoliciesPage(page);
      await studio.goto(consoleUrl, '?open=VirtualService/default/reviews');
      await expect(studio.editor).toHaveValue(/weight: 50/);
      await expect(studio.historyRows).toHaveCount(2);
      const latest = (await studio.historyRows.first().getAttribute('data-rv')) ?? '';
      await studio.historyRow(latest).getByTestId('history-show').click();
      await expect(studio.diffRemoved).toHaveText([/weight: 80/, /weight: 20/]);

      await studio.historyRow(latest).getByTestId('history-revert').click();
      await expect(studio.reverted).toContainText(
        `Reverted change ${latest}: restored VirtualService/default/reviews`,
      );
      expect(await storedWeights()).toEqual([80, 20]);
      await expect(studio.editor).toHaveValue(/weight: 80/);
      await expect(studio.historyRows).toHaveCount(3);
      await studio.screenshot(join(SHOTS, 'policies-history.png'));

      // The change reverted above is stale now (the revert changed the object after it): 409, nothing written.
      const before = (await stored()).body?.metadata.resourceVersion;
      await studio.historyRow(latest).getByTestId('history-revert').click();
      await expect(studio.failed).toHaveAttribute('data-status', '409');
      await expect(studio.failed).toContainText('Conflict (409)');
      await expect(studio.forceRevert).toBeVisible();
      expect((await stored()).body?.metadata.resourceVersion).toBe(before);
      expect(await storedWeights()).toEqual([80, 20]);
    });

    test('an apply based on a stale version is refused with 409 and the other change stays', async ({
      page,
    }) => {
      const studio = new PoliciesPage(page);
      await studio.goto(consoleUrl, '?open=VirtualService/default/reviews');
      await expect(studio.editor).toHaveValue(/weight: 80/);

      // Someone else changes the object behind the studio's back.
      const current = (await stored()).body as StoredVs & Record<string, unknown>;
      const theirs = structuredClone(current);
      theirs.spec.http[0]!.route[0]!.weight = 70;
      theirs.spec.http[0]!.route[1]!.weight = 30;
      const put = await fetch(`${stack.api.url}${VS}/reviews`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'impersonate-user': 'bob' },
        body: JSON.stringify(theirs),
      });
      expect(put.status).toBe(200);

      await studio.setYaml(
        (await studio.yaml()).replace('weight: 80', 'weight: 60').replace('weight: 20', 'weight: 40'),
      );
      await studio.apply.click();
      await expect(studio.failed).toHaveAttribute('data-status', '409');
      await expect(studio.failed).toContainText('Conflict (409): nothing was written');
      await studio.screenshot(join(SHOTS, 'policies-conflict.png'));
      expect(await storedWeights()).toEqual([70, 30]);

      await page.getByTestId('reload-stored').click();
      await expect(studio.editor).toHaveValue(/weight: 70/);
      await expect(studio.historyRows.first()).toHaveAttribute('data-actor', 'bob');
    });

    test('a viewer may check but not apply or revert: the console refuses with 403 and nothing changes', async ({
      page,
    }) => {
      test.setTimeout(120_000);
      const viewerUrl = await stack.startConsole({ TRELLIS_CONSOLE_ANONYMOUS_ROLE: 'viewer' });
      const studio = new PoliciesPage(page);
      await studio.goto(viewerUrl, '?open=VirtualService/default/reviews');
      await expect(studio.editor).toHaveValue(/weight: 70/);
      await expect(studio.apply).toBeDisabled();
      await studio.check.click();
      await expect(studio.checked).toBeVisible();

      const before = (await stored()).body?.metadata.resourceVersion ?? '';
      const apply = await page.request.post(`${viewerUrl}/api/policies/apply`, {
        data: { yaml: reviewsYaml(10, 90), resourceVersion: before },
      });
      expect(apply.status()).toBe(403);
      const revert = await page.request.post(`${viewerUrl}/api/history/${before}/revert`, { data: {} });
      expect(revert.status()).toBe(403);
      expect((await stored()).body?.metadata.resourceVersion).toBe(before);
    });
  });
