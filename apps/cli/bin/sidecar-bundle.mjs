// The prebuilt sidecar: apps/cli/dist/sidecar.mjs, one ES module holding `trellis proxy` and the
// workspace code it imports (npm packages stay external). Run as plain JavaScript it saves tsx's
// loader thread and start-up transpiling: about a third of an idle sidecar's memory and most of a
// second per start on this kind of machine (bench/results). Plain JavaScript itself, because the
// bin reads it before deciding whether to load tsx at all.
//
// A bundle is only used while it matches the sources: its first line records when its build began
// and every file it was built from, and a file changed (or gone) since means the sources run.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SIDECAR_ENTRY = 'apps/cli/src/sidecar.ts';
export const SIDECAR_BUNDLE = 'apps/cli/dist/sidecar.mjs';
const HEADER = '// trellis-bundle ';

/**
 * @param {string} root the repository root
 * @param {string} [bundle] the bundle's path relative to root
 * @returns {{ fresh: true, path: string } | { fresh: false, reason: string }}
 */
export function bundleFreshness(root, bundle = SIDECAR_BUNDLE) {
  const path = join(root, bundle);
  let firstLine;
  try {
    const text = readFileSync(path, 'utf8');
    firstLine = text.slice(0, text.indexOf('\n'));
  } catch {
    return { fresh: false, reason: 'not built' };
  }
  if (!firstLine.startsWith(HEADER)) return { fresh: false, reason: 'no build record' };
  let record;
  try {
    record = JSON.parse(firstLine.slice(HEADER.length));
  } catch {
    return { fresh: false, reason: 'unreadable build record' };
  }
  if (typeof record?.startedAtMs !== 'number' || !Array.isArray(record.inputs))
    return { fresh: false, reason: 'unreadable build record' };
  for (const input of record.inputs) {
    let mtimeMs;
    try {
      mtimeMs = statSync(join(root, input)).mtimeMs;
    } catch {
      return { fresh: false, reason: `${input} is gone` };
    }
    // Equal counts as changed: a save in the build's first millisecond may not be in it.
    if (mtimeMs >= record.startedAtMs) return { fresh: false, reason: `${input} changed since the build` };
  }
  return { fresh: true, path };
}

/**
 * Builds the bundle unless a fresh one exists. Several processes may build at once (parallel test
 * files, two demos): each writes a whole file and renames it into place, so a reader sees one
 * complete build or another, never half of one.
 *
 * @param {string} root
 * @param {{ entry?: string, bundle?: string, force?: boolean }} [options]
 * @returns {Promise<{ built: boolean, reason: string, inputs: number, ms: number }>}
 */
export async function ensureBundle(root, options = {}) {
  const entry = options.entry ?? SIDECAR_ENTRY;
  const bundle = options.bundle ?? SIDECAR_BUNDLE;
  const t0 = performance.now();
  const before = bundleFreshness(root, bundle);
  if (before.fresh && !options.force) return { built: false, reason: 'up to date', inputs: 0, ms: 0 };
  const { build } = await import('esbuild');
  const startedAtMs = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: join(root, bundle),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    define: { __TRELLIS_BUNDLE_BUILT__: JSON.stringify(new Date(startedAtMs).toISOString()) },
    plugins: [workspaceOnly],
  });
  const output = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  if (!output) throw new Error(`esbuild wrote no .mjs for ${entry}`);
  const inputs = Object.keys(result.metafile.inputs).sort();
  const path = join(root, bundle);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${HEADER}${JSON.stringify({ startedAtMs, inputs })}\n${output.text}`);
  renameSync(tmp, path);
  return {
    built: true,
    reason: before.fresh ? 'forced' : before.reason,
    inputs: inputs.length,
    ms: performance.now() - t0,
  };
}

/**
 * Bundles the workspace's own code (@trellis/* and relative imports); every npm package stays an
 * import resolved from node_modules at run time, as it is when the sources run.
 * @type {import('esbuild').Plugin}
 */
const workspaceOnly = {
  name: 'trellis-workspace-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@trellis/') ? undefined : { path: args.path, external: true },
    );
  },
};
