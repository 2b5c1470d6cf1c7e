import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findTaggedProcesses, isAlive } from './procfs';
import { type ExitStatus, type Running, Supervisor } from './supervisor';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WATCHDOG = fileURLToPath(new URL('./watchdog.ts', import.meta.url));

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-supervisor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A process that also starts a grandchild, as `next start` or npm would. */
const withGrandchild = (dir: string) => ({
  name: 'tree',
  command: '/bin/sh',
  args: ['-c', 'echo started; sleep 60 & wait'],
  cwd: dir,
  env: { PATH: process.env.PATH },
});

async function until(check: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

describe('demo supervisor', () => {
  it('logs to DIR/logs/NAME.log, stops the whole process tree, and reports only exits it did not ask for', async (t) => {
    const dir = tempDir(t);
    const unexpected: [Running, ExitStatus][] = [];
    const sup = new Supervisor({
      dataDir: dir,
      logDir: join(dir, 'logs'),
      onUnexpectedExit: (p, s) => unexpected.push([p, s]),
      onChange: () => undefined,
    });
    t.after(() => sup.killAll());
    const tree = sup.start(withGrandchild(dir));
    const quick = sup.start({ name: 'quick', command: '/bin/sh', args: ['-c', 'exit 3'], cwd: dir, env: {} });
    assert.ok(await until(() => findTaggedProcesses(dir).length >= 2), 'sh and its sleep carry the tag');
    assert.deepEqual(await quick.exited, { code: 3, signal: null });
    assert.deepEqual(
      unexpected.map(([p, s]) => [p.name, s.code]),
      [['quick', 3]],
    );

    await sup.stop();
    assert.ok(tree.exit !== null);
    assert.deepEqual(findTaggedProcesses(dir), [], 'nothing left, grandchild included');
    assert.equal(unexpected.length, 1, 'a requested stop is not reported as a failure');
    assert.match(readFileSync(join(dir, 'logs/tree.log'), 'utf8'), /started/);
  });

  it('the watchdog stops every group it was told about when the demo dies', async (t) => {
    const dir = tempDir(t);
    // Stands in for `trellis demo`: it holds the watchdog's stdin and is then SIGKILLed.
    const fakeDemo = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { Supervisor } from ${JSON.stringify(fileURLToPath(new URL('./supervisor.ts', import.meta.url)))};
         const sup = new Supervisor({ dataDir: ${JSON.stringify(dir)}, logDir: ${JSON.stringify(join(dir, 'logs'))},
           onUnexpectedExit() {}, onChange() {} });
         sup.startWatchdog(${JSON.stringify(WATCHDOG)}, ${JSON.stringify(ROOT)});
         const p = sup.start({ name: 'tree', command: '/bin/sh', args: ['-c', 'sleep 60 & wait'], cwd: '/', env: {} });
         console.log(p.pid);
         setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    t.after(() => fakeDemo.kill('SIGKILL'));
    let out = '';
    fakeDemo.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    assert.ok(await until(() => /^\d+$/m.test(out) && findTaggedProcesses(dir).length >= 3, 20_000));
    const pgid = Number(out.trim());
    t.after(() => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
    });

    fakeDemo.kill('SIGKILL');
    assert.ok(
      await until(() => findTaggedProcesses(dir).length === 0, 15_000),
      `left: ${JSON.stringify(findTaggedProcesses(dir))}`,
    );
    assert.equal(isAlive(pgid), false);
    assert.match(readFileSync(join(dir, 'logs/watchdog.log'), 'utf8'), /stopping 1 process group/);
  });
});
