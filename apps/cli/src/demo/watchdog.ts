/**
 * Kill-on-parent-death for the demo. Node has no prctl(PR_SET_PDEATHSIG), so `trellis demo` starts
 * this small process in its own session and keeps a pipe to its stdin, writing the id of every
 * process group it starts, one per line. The pipe closes when the demo exits for any reason,
 * SIGKILL included; then every group still alive gets SIGTERM, and SIGKILL after a grace period.
 * After a normal stop the demo has already stopped them all and this exits at once.
 *
 *   node --import tsx apps/cli/src/demo/watchdog.ts   (stdin: process group ids)
 */
import { groupAlive, signalGroup } from './procfs';

const GRACE_MS = 5000;
const groups = new Set<number>();
let buffered = '';

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} watchdog: ${message}\n`);
}

async function reap(): Promise<void> {
  const alive = [...groups].filter(groupAlive);
  if (alive.length === 0) return;
  log(`the demo is gone; stopping ${alive.length} process group(s): ${alive.join(' ')}`);
  for (const g of alive) signalGroup(g, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  while (Date.now() < deadline && alive.some(groupAlive)) await new Promise((r) => setTimeout(r, 100));
  for (const g of alive.filter(groupAlive)) {
    log(`process group ${g} ignored SIGTERM; SIGKILL`);
    signalGroup(g, 'SIGKILL');
  }
}

// Signals meant for the demo (a terminal's Ctrl-C) must not take the watchdog down first.
process.on('SIGINT', () => undefined);
process.on('SIGHUP', () => undefined);

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    const n = Number(line.trim());
    if (Number.isInteger(n) && n > 1) groups.add(n);
  }
});
process.stdin.on('close', () => {
  reap().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.stdin.resume();
