import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const BOOKINFO = join(ROOT, 'packages/shared/fixtures/bookinfo');

function analyze(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'apps/cli/bin/trellis.mjs'), 'analyze', ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

test('trellis analyze reports validation errors with field paths and exits 1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-analyze-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'bad.yaml');
  writeFileSync(
    file,
    `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: -10
    - destination: {host: reviews, subset: v2}
      weight: 110
`,
  );
  const r = await analyze('-f', file, '-f', join(BOOKINFO, 'destination-rule-all.yaml'));
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    /^Error \[IST0106\] \(VirtualService default\/reviews .*bad\.yaml\) spec\.http\[0\]\.route\[0\]\.weight: /m,
  );
  assert.match(r.stdout, /^Warning \[KIA0202\] \(DestinationRule default\/reviews /m);
});

test('Services in the files count as the registry; warnings alone exit 0 (or 1 with --failure-threshold Warning)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-analyze-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'services.yaml'),
    ['productpage', 'reviews', 'ratings', 'details']
      .map(
        (name) =>
          `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  ports: [{port: 9080, name: http}]\n`,
      )
      .join('---\n'),
  );
  const args = [
    '-f',
    dir,
    '-f',
    join(BOOKINFO, 'destination-rule-all.yaml'),
    '-f',
    join(BOOKINFO, 'virtual-service-all-v1.yaml'),
  ];
  const r = await analyze(...args, '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const findings = JSON.parse(r.stdout) as { code: string; level: string }[];
  assert.ok(findings.length > 0);
  assert.ok(
    findings.every((f) => f.code === 'KIA0203' && f.level === 'Warning'),
    r.stdout,
  );
  assert.equal((await analyze(...args, '--failure-threshold', 'Warning')).code, 1);
  assert.equal((await analyze('--output', 'xml')).code, 2);
});
