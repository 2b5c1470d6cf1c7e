/**
 * Start-up progress, one line per event with the time since start, so it reads the same in a
 * terminal, in CI logs and in a test's captured output:
 *
 *   [  3.1s] controlplane         ready      http://127.0.0.1:20000
 *   [ 41.0s] ratings-v1           FAILED     exited with code 1; log: .data/demo/logs/ratings-v1.log
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

export type Status =
  | 'starting'
  | 'waiting'
  | 'ready'
  | 'building'
  | 'built'
  | 'FAILED'
  | 'exited'
  | 'stopping'
  | 'stopped';

export class Progress {
  readonly #t0: number;
  readonly #out: (line: string) => void;

  constructor(t0 = performance.now(), out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
    this.#t0 = t0;
    this.#out = out;
  }

  seconds(): number {
    return (performance.now() - this.#t0) / 1000;
  }

  line(text: string): void {
    this.#out(text);
  }

  step(name: string, status: Status, detail = ''): void {
    const t = `[${this.seconds().toFixed(1).padStart(5)}s]`;
    this.#out(`${t} ${name.padEnd(23)} ${status.padEnd(10)} ${detail}`.trimEnd());
  }
}

/** A path as the user typed it would look: relative to the working directory when inside it. */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}

/** The last lines of a log, indented, for a failure message. */
export function logTail(path: string, lines = 12): string {
  if (!existsSync(path)) return '';
  const text = readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines);
  return text.map((l) => `    | ${l}`).join('\n');
}
