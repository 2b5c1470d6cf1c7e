import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultRange, ephemeralRange, reservePortBlock, reservePorts } from './ports';

const PORTS = new URL('./ports.ts', import.meta.url).pathname;

function lockDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-ports-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

test('the default range is below the ephemeral range and above the demo default block', () => {
  const r = defaultRange();
  assert.ok(r.to < ephemeralRange().from || r.from > ephemeralRange().to);
  assert.ok(r.from > 20200 || r.from > ephemeralRange().to);
});

test('reserved ports are distinct, inside the range, locked with our pid and bindable', async (t) => {
  const dir = lockDir(t);
  const ports = await reservePorts(8, { lockDir: dir });
  assert.equal(new Set(ports).size, 8);
  const r = defaultRange();
  for (const p of ports) {
    assert.ok(p >= r.from && p <= r.to, `${p} in range`);
    assert.equal(readFileSync(join(dir, String(p)), 'utf8'), String(process.pid));
    const s = createServer();
    await new Promise<void>((res, rej) => {
      s.once('error', rej);
      s.listen(p, '127.0.0.1', res);
    });
    await new Promise<void>((res) => s.close(() => res()));
  }
});

test('two processes reserving from the same small range at once never share a port', async (t) => {
  const dir = lockDir(t);
  const range = { from: 31000, to: 31099 };
  // Each holds its ports until its stdin closes, so the reservations overlap in time.
  const script = `import { reservePorts } from ${JSON.stringify(PORTS)};
const ports = await reservePorts(40, { lockDir: ${JSON.stringify(dir)}, range: ${JSON.stringify(range)} });
process.stdout.write(JSON.stringify(ports) + '\\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));`;
  const children = [0, 1].map(() =>
    spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  t.after(() => {
    for (const c of children) c.kill();
  });
  const outputs = await Promise.all(
    children.map(
      (c) =>
        new Promise<number[]>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error('child did not answer')), 60_000);
          c.stdout.on('data', (b: Buffer) => {
            out += b.toString();
            if (out.includes('\n')) {
              clearTimeout(timer);
              resolve(JSON.parse(out) as number[]);
            }
          });
          c.once('exit', () => reject(new Error(`child exited early: ${out}`)));
        }),
    ),
  );
  const [pa = [], pb = []] = outputs;
  assert.equal(pa.length, 40);
  assert.equal(pb.length, 40);
  assert.deepEqual(
    pa.filter((p) => pb.includes(p)),
    [],
  );
  await Promise.all(
    children.map((c) => {
      const exited = new Promise((r) => c.once('exit', r));
      c.stdin.end();
      return exited;
    }),
  );
  // Both have exited: their locks are gone.
  assert.deepEqual(readdirSync(dir), []);
});

test('a lock whose pid is dead is taken over; a live one is not', async (t) => {
  const dir = lockDir(t);
  const range = { from: 31200, to: 31219 };
  const dead = deadPid();
  for (let p = range.from; p <= range.to; p++) writeFileSync(join(dir, String(p)), String(dead));
  const [port] = await reservePorts(1, { lockDir: dir, range });
  assert.ok(port !== undefined && port >= range.from && port <= range.to);
  assert.equal(readFileSync(join(dir, String(port)), 'utf8'), String(process.pid));

  const live = lockDir(t);
  // process.ppid: the test runner, alive for as long as this test.
  for (let p = range.from; p <= range.to; p++) writeFileSync(join(live, String(p)), String(process.ppid));
  await assert.rejects(reservePorts(1, { lockDir: live, range }), /no 1 free ports/);
});

test('a block is contiguous, aligned and claimed', async (t) => {
  const dir = lockDir(t);
  const base = await reservePortBlock(75, { lockDir: dir });
  assert.equal(base % 100, 0);
  for (let p = base; p < base + 75; p++)
    assert.equal(readFileSync(join(dir, String(p)), 'utf8'), String(process.pid));
});
