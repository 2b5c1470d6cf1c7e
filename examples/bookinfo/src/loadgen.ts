// Steady traffic for the demo: GET /productpage at a fixed rate, some of it as a logged-in
// "jason" so header-based routes (end-user: jason → reviews v2) show up in the graph.
//   node --import tsx examples/bookinfo/src/loadgen.ts --target http://127.0.0.1:PORT --rate 5
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, type Dispatcher, Pool } from 'undici';
import { SESSION_COOKIE } from './session';

export interface LoadOptions {
  /** productpage base URL: its sidecar's inbound port, or http://productpage:9080 with `proxy`. */
  target: string;
  /** Requests per second; the default suits a 2-core laptop running the whole demo. */
  rate?: number;
  /** Share of requests sent by a logged-in jason, 0–100. */
  jasonPercent?: number;
  /** How many separate jason sessions (browsers) take those requests in turn. */
  jasonUsers?: number;
  paths?: string[];
  /** Ticks that find this many requests still open are dropped, not queued: the load stays bounded. */
  maxInFlight?: number;
  timeoutMs?: number;
  /** Send absolute-form requests through this HTTP proxy (a sidecar's outbound listener). */
  proxy?: string;
}

export interface LoadStats {
  /** Ticks so far: sent + dropped. */
  ticks: number;
  sent: number;
  /** Answers with 2xx/3xx. */
  ok: number;
  /** Answers with 4xx/5xx. */
  errors: number;
  /** No answer: refused, reset, timed out. */
  failed: number;
  dropped: number;
  inFlight: number;
  jason: number;
  anonymous: number;
  byStatus: Record<string, number>;
}

export interface LoadGenerator {
  stats(): LoadStats;
  /** Stops ticking, waits for open requests (bounded by the timeout), closes connections. */
  stop(): Promise<LoadStats>;
}

export const LOADGEN_DEFAULTS = {
  rate: 5,
  jasonPercent: 20,
  jasonUsers: 2,
  paths: ['/productpage'],
  maxInFlight: 20,
  timeoutMs: 10_000,
} as const;

/** Spreads the jason share evenly instead of randomly, so short runs keep the ratio. */
export function isJasonTick(tick: number, percent: number): boolean {
  return Math.floor(((tick + 1) * percent) / 100) > Math.floor((tick * percent) / 100);
}

export function startLoad(options: LoadOptions): LoadGenerator {
  const rate = options.rate ?? LOADGEN_DEFAULTS.rate;
  const percent = options.jasonPercent ?? LOADGEN_DEFAULTS.jasonPercent;
  const jasonUsers = Math.max(1, options.jasonUsers ?? LOADGEN_DEFAULTS.jasonUsers);
  const paths = options.paths?.length ? options.paths : [...LOADGEN_DEFAULTS.paths];
  const maxInFlight = options.maxInFlight ?? LOADGEN_DEFAULTS.maxInFlight;
  const timeoutMs = options.timeoutMs ?? LOADGEN_DEFAULTS.timeoutMs;
  if (!(rate > 0) || !Number.isFinite(rate))
    throw new RangeError(`rate must be a positive number, got ${rate}`);
  if (!(percent >= 0 && percent <= 100)) throw new RangeError(`jasonPercent must be 0–100, got ${percent}`);

  const target = new URL(options.target);
  const proxy = options.proxy ? new URL(options.proxy) : null;
  const dispatcher: Dispatcher = proxy
    ? new Pool(proxy.origin, { connections: maxInFlight })
    : new Agent({ connections: maxInFlight });
  const stats: LoadStats = {
    ticks: 0,
    sent: 0,
    ok: 0,
    errors: 0,
    failed: 0,
    dropped: 0,
    inFlight: 0,
    jason: 0,
    anonymous: 0,
    byStatus: {},
  };
  const sessions: (string | null)[] = Array.from({ length: jasonUsers }, () => null);
  const open = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  function request(path: string, init: { method: string; headers: Record<string, string>; body?: string }) {
    const headers = { ...init.headers, host: target.host, 'user-agent': 'trellis-loadgen' };
    return dispatcher.request({
      origin: proxy ? proxy.origin : target.origin,
      // Absolute form when going through a proxy: the sidecar routes by the URL's host.
      path: proxy ? `${target.origin}${path}` : path,
      method: init.method as Dispatcher.HttpMethod,
      headers,
      body: init.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  async function login(): Promise<string> {
    const res = await request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=jason&passwd=jason',
    });
    await res.body.dump();
    const setCookie = res.headers['set-cookie'];
    const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    const session = cookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!session) throw new Error(`login answered ${res.statusCode} without a session cookie`);
    return session;
  }

  async function fire(tick: number): Promise<void> {
    const jasonSlot = isJasonTick(tick, percent) ? stats.jason % jasonUsers : null;
    const path = paths[tick % paths.length]!;
    stats.sent++;
    if (jasonSlot === null) stats.anonymous++;
    else stats.jason++;
    try {
      const headers: Record<string, string> = {};
      if (jasonSlot !== null) {
        sessions[jasonSlot] ??= await login();
        headers.cookie = sessions[jasonSlot]!;
      }
      const res = await request(path, { method: 'GET', headers });
      await res.body.dump();
      const code = String(res.statusCode);
      stats.byStatus[code] = (stats.byStatus[code] ?? 0) + 1;
      if (res.statusCode < 400) stats.ok++;
      else stats.errors++;
    } catch {
      // A failed login leaves the slot empty, so that user logs in again on its next turn.
      stats.failed++;
    }
  }

  const intervalMs = 1000 / rate;
  const startedAt = performance.now();
  let next = 0;

  // Ticks are due at fixed offsets from the start, so a slow callback does not lower the rate;
  // after a long stall (over a second behind) the missed ticks are skipped, not bursted.
  function schedule(): void {
    if (stopped) return;
    const now = performance.now();
    if (now - (startedAt + next * intervalMs) > 1000) next = Math.floor((now - startedAt) / intervalMs);
    while (startedAt + next * intervalMs <= now) {
      const tick = next++;
      stats.ticks++;
      if (stats.inFlight >= maxInFlight) {
        stats.dropped++;
        continue;
      }
      stats.inFlight++;
      const p = fire(tick).finally(() => {
        stats.inFlight--;
        open.delete(p);
      });
      open.add(p);
    }
    timer = setTimeout(schedule, Math.max(0, startedAt + next * intervalMs - performance.now()));
  }
  schedule();

  return {
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...open]);
      await dispatcher.close();
      return { ...stats, byStatus: { ...stats.byStatus } };
    },
  };
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const USAGE = `Usage: loadgen --target URL [--rate 5] [--jason-percent 20] [--jason-users 2]
               [--path /productpage]... [--proxy URL] [--duration SECONDS]`;

async function cli(argv: string[]): Promise<number> {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        target: { type: 'string' },
        rate: { type: 'string' },
        'jason-percent': { type: 'string' },
        'jason-users': { type: 'string' },
        path: { type: 'string', multiple: true },
        proxy: { type: 'string' },
        duration: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`loadgen: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const num = (name: string): number | undefined =>
    typeof values[name] === 'string' ? Number(values[name]) : undefined;
  if (typeof values.target !== 'string') {
    console.error(`loadgen: --target is required\n\n${USAGE}`);
    return 2;
  }
  let gen: LoadGenerator;
  try {
    gen = startLoad({
      target: values.target,
      rate: num('rate'),
      jasonPercent: num('jason-percent'),
      jasonUsers: num('jason-users'),
      paths: Array.isArray(values.path) ? values.path : undefined,
      proxy: typeof values.proxy === 'string' ? values.proxy : undefined,
    });
  } catch (err) {
    console.error(`loadgen: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const report = (s: LoadStats) =>
    `loadgen: sent ${s.sent} ok ${s.ok} errors ${s.errors} failed ${s.failed} dropped ${s.dropped} (jason ${s.jason}, anonymous ${s.anonymous})`;
  const every = setInterval(() => console.log(report(gen.stats())), 10_000);
  const duration = num('duration');
  // Whichever comes first, a signal or the duration; the others are removed so the process exits.
  let until: NodeJS.Timeout | undefined;
  let done = () => {};
  await new Promise<void>((resolve) => {
    done = resolve;
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (duration !== undefined) until = setTimeout(done, duration * 1000);
  });
  clearTimeout(until);
  process.off('SIGINT', done);
  process.off('SIGTERM', done);
  clearInterval(every);
  console.log(report(await gen.stop()));
  return 0;
}

if (isMain()) process.exitCode = await cli(process.argv.slice(2));
