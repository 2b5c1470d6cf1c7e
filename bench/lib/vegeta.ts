import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const VEGETA_MODULE = 'github.com/tsenart/vegeta/v12@v12.13.0';

export interface LatencySummary {
  requests: number;
  success: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  achievedRps: number;
}

/** Returns the vegeta binary, installing the pinned module into .cache/bin when missing. */
export async function ensureVegeta(root: string): Promise<string> {
  const bin = join(root, '.cache', 'bin');
  const exe = join(bin, 'vegeta');
  if (existsSync(exe)) return exe;
  mkdirSync(bin, { recursive: true });
  console.log(`installing ${VEGETA_MODULE} (go install) ...`);
  await run('go', ['install', VEGETA_MODULE], { env: { ...process.env, GOBIN: bin }, timeout: 600_000 });
  return exe;
}

interface Attack {
  url: string;
  /** Host header, for routing by Host through the sidecar's outbound listener. */
  host?: string;
  rate: number;
  duration: string;
}

/** One constant-rate attack; vegeta's own report gives the latency distribution. */
export async function vegetaAttack(vegeta: string, a: Attack): Promise<LatencySummary> {
  const target = `GET ${a.url}\n${a.host ? `Host: ${a.host}\n` : ''}`;
  const attack = spawn(
    vegeta,
    [
      'attack',
      `-rate=${a.rate}/s`,
      `-duration=${a.duration}`,
      '-keepalive=true',
      '-max-workers=64',
      '-timeout=10s',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const report = spawn(vegeta, ['report', '-type=json'], { stdio: ['pipe', 'pipe', 'inherit'] });
  attack.stdout.pipe(report.stdin);
  attack.stdin.end(target);
  let out = '';
  report.stdout.setEncoding('utf8');
  report.stdout.on('data', (d: string) => {
    out += d;
  });
  await new Promise<void>((resolve, reject) => {
    report.on('error', reject);
    report.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`vegeta report exited ${code}`)),
    );
  });
  const r = JSON.parse(out) as {
    requests: number;
    throughput: number;
    success: number;
    latencies: { '50th': number; '90th': number; '99th': number; max: number };
  };
  const ms = (ns: number) => ns / 1e6;
  return {
    requests: r.requests,
    success: r.success,
    p50Ms: ms(r.latencies['50th']),
    p90Ms: ms(r.latencies['90th']),
    p99Ms: ms(r.latencies['99th']),
    maxMs: ms(r.latencies.max),
    achievedRps: r.throughput,
  };
}
