/**
 * The console runs as a production build (`next start`); `next build` takes a minute or more on
 * two cores, so the demo builds only when there is no build or a source is newer than it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type BuildNeed = { build: false } | { build: true; reason: string };

/** Newest modification time under `path` (ms), skipping tests and build output; 0 when absent. */
export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === '.next' || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** What the console's build is made from: its sources, its config, and the shared sources it imports. */
export function consoleInputs(root: string): string[] {
  const dir = join(root, 'apps/console');
  return [
    join(dir, 'src'),
    join(dir, 'next.config.ts'),
    join(dir, 'package.json'),
    join(dir, 'tsconfig.json'),
    join(root, 'packages/shared/src'),
  ];
}

export function consoleBuildNeed(root: string): BuildNeed {
  const buildId = join(root, 'apps/console/.next/BUILD_ID');
  if (!existsSync(buildId)) return { build: true, reason: 'no production build yet' };
  const built = statSync(buildId).mtimeMs;
  for (const input of consoleInputs(root)) {
    if (newestMtime(input) > built)
      return { build: true, reason: `${input.slice(root.length)} is newer than the build` };
  }
  return { build: false };
}
