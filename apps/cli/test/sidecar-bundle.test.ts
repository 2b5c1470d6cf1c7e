// The prebuilt sidecar bundle: built from the sources, used by `trellis proxy` only while it
// matches them, and lighter than running the sources through tsx.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { proxyFlags, reservePorts, spawnProcess, waitUntil } from '@trellis/testkit';
import { bundleFreshness, ensureBundle } from '../bin/sidecar-bundle.mjs';
import { ROOT, TRELLIS } from './demo-support';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bundle-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/dep.ts'), 'export const answer: number = 42;\n');
  writeFileSync(
    join(dir, 'src/entry.ts'),
    "import { parse } from 'yaml';\nimport { answer } from './dep';\nexport const runProxy = async (_argv: string[]) => answer + Number(parse('1'));\n",
  );
  return dir;
}

const options = { entry: 'src/entry.ts', bundle: 'dist/out.mjs' };

describe('sidecar bundle freshness', () => {
  it('is built from the sources it imports, npm packages left as imports, and is fresh until one changes', async (t) => {
    const dir = project();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    assert.deepEqual(bundleFreshness(dir, options.bundle), { fresh: false, reason: 'not built' });

    const first = await ensureBundle(dir, options);
    assert.equal(first.built, true);
    assert.equal(first.inputs, 2, 'entry.ts and dep.ts; yaml stays external');
    const text = readFileSync(join(dir, options.bundle), 'utf8');
    assert.match(text, /from "yaml"/);
    assert.equal(bundleFreshness(dir, options.bundle).fresh, true);
    assert.equal((await ensureBundle(dir, options)).built, false, 'a fresh bundle is not rebuilt');

    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'src/dep.ts'), later, later);
    assert.deepEqual(bundleFreshness(dir, options.bundle), {
      fresh: false,
      reason: 'src/dep.ts changed since the build',
    });
    const rebuilt = await ensureBundle(dir, options);
    assert.equal(rebuilt.built, true);
    assert.equal(rebuilt.reason, 'src/dep.ts changed since the build');

    rmSync(join(dir, 'src/dep.ts'));
    assert.deepEqual(bundleFreshness(dir, options.bundle), { fresh: false, reason: 'src/dep.ts is gone' });
  });

  it('refuses a bundle without its build record', (t) => {
    const dir = project();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, options.bundle), 'export const runProxy = async () => 0;\n');
    assert.deepEqual(bundleFreshness(dir, options.bundle), { fresh: false, reason: 'no build record' });
  });
});

describe('trellis proxy from the bundle', () => {
  /** Starts a sidecar (no control plane needed to start), returns its start-up line and its RSS. */
  async function start(t: TestContext, env: NodeJS.ProcessEnv) {
    const [grpc, app = 0, inbound = 0, outbound = 0, admin = 0, metrics = 0] = await reservePorts(6);
    const proc = spawnProcess(
      t,
      'proxy',
      process.execPath,
      [
        TRELLIS,
        'proxy',
        ...proxyFlags({
          grpc: `127.0.0.1:${grpc}`,
          workload: 'reviews-v1',
          app: 'reviews',
          version: 'v1',
          service: 'reviews:9080',
          appPort: app,
          ports: { inbound, outbound, admin, metrics },
        }),
      ],
      { env },
    );
    const line = await waitUntil(
      'proxy started',
      () =>
        proc
          .output()
          .split('\n')
          .find((l) => l.includes('"proxy started"')),
      { procs: [proc], timeoutMs: 60_000 },
    );
    const code = (JSON.parse(line) as { code: string }).code;
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'))?.[1]);
    await proc.stop();
    return { code, rssKb };
  }

  it('runs the bundle while it is fresh, the sources with TRELLIS_FROM_SOURCE=1, and the bundle uses less memory', async (t) => {
    await ensureBundle(ROOT);
    const bundled = await start(t, {});
    assert.match(bundled.code, /^sidecar bundle built \d{4}-/);
    const sources = await start(t, { TRELLIS_FROM_SOURCE: '1' });
    assert.equal(sources.code, 'TypeScript sources (tsx)');
    t.diagnostic(`RSS after start: bundle ${bundled.rssKb} kB, sources ${sources.rssKb} kB`);
    // tsx's loader thread and transpiler alone are tens of MB; the bundle has neither.
    assert.ok(bundled.rssKb < sources.rssKb * 0.9, `bundle ${bundled.rssKb} kB, sources ${sources.rssKb} kB`);
  });
});
