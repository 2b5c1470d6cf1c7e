import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { consoleBuildNeed, sharedInputs } from './console-build';

const FILES: Record<string, string> = {
  'apps/console/src/app/page.tsx': "import type { Graph } from '@trellis/shared/telemetry-api';\n",
  'apps/console/package.json': '{}',
  'packages/shared/src/telemetry-api.ts': "import { parse } from './duration';\n",
  'packages/shared/src/duration.ts': 'export const parse = 1;\n',
  'packages/shared/src/proxy-config.ts': 'export const unrelated = 1;\n',
};

function fakeRepo(t: { after(fn: () => void): void }): string {
  const root = `${mkdtempSync(join(tmpdir(), 'trellis-build-need-'))}/`;
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const setTime = (path: string, s: number) => utimesSync(path, s, s);

/** Everything old, the build newer. */
function built(root: string): void {
  for (const dir of ['apps/console/src/app', 'apps/console/src', 'packages/shared/src'])
    setTime(join(root, dir), 1_000_000);
  for (const path of Object.keys(FILES)) setTime(join(root, path), 1_000_000);
  mkdirSync(join(root, 'apps/console/.next'), { recursive: true });
  writeFileSync(join(root, 'apps/console/.next/BUILD_ID'), 'b');
  setTime(join(root, 'apps/console/.next/BUILD_ID'), 2_000_000);
}

describe('console build need', () => {
  it('builds when there is no build', (t) => {
    const root = fakeRepo(t);
    assert.deepEqual(consoleBuildNeed(root), { build: true, reason: 'no production build yet' });
  });

  it('follows the console imports into packages/shared, and only those', (t) => {
    const root = fakeRepo(t);
    assert.deepEqual(sharedInputs(root), [
      join(root, 'packages/shared/src/duration.ts'),
      join(root, 'packages/shared/src/telemetry-api.ts'),
    ]);
  });

  it('skips the build when it is newer than every input, and builds after an input changes', (t) => {
    const root = fakeRepo(t);
    built(root);
    assert.deepEqual(consoleBuildNeed(root), { build: false });

    setTime(join(root, 'packages/shared/src/proxy-config.ts'), 3_000_000);
    assert.deepEqual(consoleBuildNeed(root), { build: false }, 'the console does not import it');

    setTime(join(root, 'packages/shared/src/duration.ts'), 3_000_000);
    const need = consoleBuildNeed(root);
    assert.equal(need.build, true);
    assert.match(need.build ? need.reason : '', /duration\.ts is newer than the build/);
  });

  it('builds after a console source changes', (t) => {
    const root = fakeRepo(t);
    built(root);
    setTime(join(root, 'apps/console/src/app/page.tsx'), 3_000_000);
    const need = consoleBuildNeed(root);
    assert.match(need.build ? need.reason : '', /apps\/console\/src is newer than the build/);
  });
});
