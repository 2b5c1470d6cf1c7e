import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { consoleBuildNeed } from './console-build';

function fakeRepo(t: { after(fn: () => void): void }): string {
  const root = `${mkdtempSync(join(tmpdir(), 'trellis-build-need-'))}/`;
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'apps/console/src/app'), { recursive: true });
  mkdirSync(join(root, 'packages/shared/src'), { recursive: true });
  for (const f of ['apps/console/src/app/page.tsx', 'apps/console/package.json', 'packages/shared/src/x.ts'])
    writeFileSync(join(root, f), 'x');
  return root;
}

const setTime = (path: string, s: number) => utimesSync(path, s, s);

describe('console build need', () => {
  it('builds when there is no build', (t) => {
    const root = fakeRepo(t);
    assert.deepEqual(consoleBuildNeed(root), { build: true, reason: 'no production build yet' });
  });

  it('skips the build when it is newer than every source, and builds after a source changes', (t) => {
    const root = fakeRepo(t);
    mkdirSync(join(root, 'apps/console/.next'));
    const buildId = join(root, 'apps/console/.next/BUILD_ID');
    writeFileSync(buildId, 'b');
    for (const p of [
      'apps/console/src/app/page.tsx',
      'apps/console/src/app',
      'apps/console/src',
      'apps/console/package.json',
      'packages/shared/src/x.ts',
      'packages/shared/src',
    ])
      setTime(join(root, p), 1_000_000);
    setTime(buildId, 2_000_000);
    assert.deepEqual(consoleBuildNeed(root), { build: false });

    // A test file is not an input; a shared source is.
    writeFileSync(join(root, 'packages/shared/src/x.test.ts'), 'x');
    setTime(join(root, 'packages/shared/src/x.test.ts'), 3_000_000);
    setTime(join(root, 'packages/shared/src'), 1_000_000);
    assert.deepEqual(consoleBuildNeed(root), { build: false });
    setTime(join(root, 'apps/console/src/app/page.tsx'), 3_000_000);
    const need = consoleBuildNeed(root);
    assert.equal(need.build, true);
    assert.match(need.build ? need.reason : '', /apps\/console\/src is newer than the build/);
  });
});
