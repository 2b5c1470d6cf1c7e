#!/usr/bin/env node
// `npm run demo [-- FLAGS]`: installs dependencies when they are missing (npm ci), then runs
// `trellis demo FLAGS` (see docs/demo.md). Plain JavaScript: it must run before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const t0 = performance.now();

if (!existsSync(join(root, 'node_modules')) || !existsSync(join(root, 'node_modules/.bin/trellis'))) {
  console.log('Installing dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm ci failed (exit ${r.status ?? r.signal}); see its output above.`);
    process.exit(r.status ?? 1);
  }
  console.log(`Dependencies installed in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
}

const child = spawn(
  process.execPath,
  [join(root, 'apps/cli/bin/trellis.mjs'), 'demo', ...process.argv.slice(2)],
  {
    cwd: process.cwd(),
    stdio: 'inherit',
    // So the demo's "ready in" line can also say how long it took from this command, install included.
    env: { ...process.env, TRELLIS_DEMO_STARTED_AT: String(Math.round(performance.timeOrigin + t0)) },
  },
);
// A terminal's Ctrl-C reaches the demo directly (same process group), and npm passes its own copy
// on to this wrapper; other senders (kill, CI) signal only this wrapper. Pass every signal on: the
// demo counts repeats within a second as one, and waiting for its exit keeps the prompt from
// returning before it has stopped everything.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
