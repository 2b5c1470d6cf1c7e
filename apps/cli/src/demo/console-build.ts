/**
 * The console runs as a production build (`next start`); `next build` takes a minute or more on
 * two cores, so the demo builds only when there is no build or a source is newer than it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

const SHARED_IMPORT = /from\s+['"]@trellis\/shared(?:\/([\w./-]+))?['"]/g;
const RELATIVE_IMPORT = /from\s+['"](\.{1,2}\/[\w./-]+)['"]/g;

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((e) =>
    e === 'node_modules' || e === '.next' ? [] : filesUnder(join(path, e)),
  );
}

/**
 * The shared sources the console's code imports, followed through their relative imports: a
 * change elsewhere in packages/shared (the proxy's config types, say) does not cost a rebuild.
 */
export function sharedInputs(root: string): string[] {
  const sharedSrc = join(root, 'packages/shared/src');
  const queue: string[] = [];
  for (const file of filesUnder(join(root, 'apps/console/src'))) {
    if (!/\.(ts|tsx)$/.test(file)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(SHARED_IMPORT))
      queue.push(m[1] ? join(sharedSrc, `${m[1]}.ts`) : join(sharedSrc, 'index.ts'));
  }
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const base = resolve(dirname(file), m[1]!);
      queue.push(existsSync(`${base}.ts`) ? `${base}.ts` : join(base, 'index.ts'));
    }
  }
  return [...seen].sort();
}

/** What the console's build is made from: its sources, its config, and the shared sources it imports. */
export function consoleInputs(root: string): string[] {
  const dir = join(root, 'apps/console');
  return [
    join(dir, 'src'),
    join(dir, 'next.config.ts'),
    join(dir, 'package.json'),
    join(dir, 'tsconfig.json'),
    ...sharedInputs(root),
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
