#!/usr/bin/env node
// The one test command (README, .ci/run): formatter/linter, type check, every *.test.ts under
// packages/, apps/, examples/ and bench/ on node's test runner, then the browser tests.
// Ends with "tests: N passed, N failed" so CI can read it whatever ran before.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = new Set(process.argv.slice(2));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const unitOnly = args.has('--unit');
const results = { passed: 0, failed: 0, skipped: 0 };

function run(name, cmd, cmdArgs, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function step(name, ok) {
  if (ok) results.passed += 1;
  else {
    results.failed += 1;
    console.log(`not ok - ${name}`);
  }
}

function findTests(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '.next' || entry === 'dist' || entry.startsWith('.')) continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (entry.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

if (filters.length === 0) {
  step('lint (biome check)', run('lint', 'npx', ['biome', 'check', '.']));
  step('typecheck (tsc)', run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));
  // The console has its own compiler settings (JSX, bundler resolution, the @/ alias).
  step(
    'typecheck console (tsc)',
    run('typecheck console', 'npx', ['tsc', '-p', 'apps/console/tsconfig.json', '--noEmit']),
  );
}

let files = ['packages', 'apps', 'examples', 'bench'].flatMap((d) => findTests(join(root, d)));
if (unitOnly) files = files.filter((f) => !f.includes('/test/'));
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));

function nodeTest(name, batch, concurrency) {
  if (batch.length === 0) return;
  const counts = join(tmpdir(), `trellis-test-counts-${process.pid}-${name}.json`);
  const ok = run(`node --test (${name})`, process.execPath, [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=300000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs',
    `--test-reporter-destination=${counts}`,
    ...batch,
  ]);
  const failedBefore = results.failed;
  try {
    const c = JSON.parse(readFileSync(counts, 'utf8'));
    results.passed += c.passed;
    results.failed += c.failed;
    results.skipped += c.skipped;
    rmSync(counts, { force: true });
  } catch {
    results.failed += 1;
    console.log(`not ok - node --test (${name}) produced no counts`);
  }
  if (!ok && results.failed === failedBefore) results.failed += 1;
}

// Tests start sidecars through `trellis proxy`, which runs this bundle while it is fresh.
try {
  const { ensureBundle } = await import('../apps/cli/bin/sidecar-bundle.mjs');
  const b = await ensureBundle(root);
  console.log(
    `\n=== sidecar bundle: ${b.built ? `built from ${b.inputs} files in ${Math.round(b.ms)} ms (${b.reason})` : 'up to date'}`,
  );
} catch (err) {
  step('sidecar bundle (esbuild)', false);
  console.log(String(err));
}

nodeTest('all', files, 3);

if (!unitOnly && filters.length === 0 && process.env.TRELLIS_SKIP_BROWSER !== '1') {
  const browser = join(root, 'playwright', 'playwright.config.ts');
  try {
    statSync(browser);
    step('playwright', run('playwright', 'npx', ['playwright', 'test', '-c', 'playwright']));
  } catch {
    // No browser tests yet.
  }
}

console.log(`\ntests: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
process.exit(results.failed === 0 ? 0 : 1);
