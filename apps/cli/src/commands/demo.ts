import { resolve } from 'node:path';
import { DEFAULT_PORT_BASE, isValidPortBase, MAX_PORT_BASE, MIN_PORT_BASE, PORT_SPAN } from '../demo/layout';
import type { Command } from '../main';
import { parseFlags, UsageError } from '../usage';

export const DEFAULT_RATE = 5;
const MAX_RATE = 500;

const usage = `Usage: trellis demo [--data-dir DIR] [--port-base N] [--rate RPS]

Starts the whole mesh on this machine: the control plane (resources kept in DIR), one sidecar
and one process per Bookinfo workload (productpage-v1, details-v1, reviews-v1/v2/v3,
ratings-v1), a load generator behind its own sidecar, and the console. Builds the console
first when its sources are newer than its build. When everything answers it writes
DIR/demo.json {"ready": true, "console", "api", "kubeconfig", "workloads": [...]} and prints
the console URL. Every process logs to DIR/logs/NAME.log. Ctrl-C (SIGINT) or SIGTERM stops
everything; a second start with the same DIR keeps the resources applied before.

Flags:
  --data-dir DIR        state, logs, kubeconfig, demo.json (default .data/demo)
  --port-base N         ports N..N+${PORT_SPAN - 1}: N API, N+1 gRPC, N+2 console, N+10*k.. workload k
                        (default ${DEFAULT_PORT_BASE}; see docs/demo.md)
  --rate RPS            load generator requests per second (default ${DEFAULT_RATE})
  --jason-percent P     share of the load sent as the logged-in user jason (default 20)
  --ready-timeout SEC   how long each part may take to become ready (default 180)
  -h, --help            show this help

Then, in another terminal:
  kubectl --kubeconfig DIR/kubeconfig get vs -A
  kubectl --kubeconfig DIR/kubeconfig apply -f packages/shared/fixtures/bookinfo/virtual-service-all-v1.yaml`;

function number(
  name: string,
  v: string | undefined,
  fallback: number,
  ok: (n: number) => boolean,
  want: string,
) {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || !ok(n))
    throw new UsageError(`--${name} must be ${want}, got "${v}"`);
  return n;
}

export const command: Command = {
  summary: 'run the whole mesh with Bookinfo, load and the console',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      'data-dir': { type: 'string' },
      'port-base': { type: 'string' },
      rate: { type: 'string' },
      'jason-percent': { type: 'string' },
      'ready-timeout': { type: 'string' },
    });
    const options = {
      dataDir: resolve(values['data-dir'] ?? '.data/demo'),
      portBase: number(
        'port-base',
        values['port-base'],
        DEFAULT_PORT_BASE,
        isValidPortBase,
        `an integer ${MIN_PORT_BASE}-${MAX_PORT_BASE}`,
      ),
      rate: number(
        'rate',
        values.rate,
        DEFAULT_RATE,
        (n) => n > 0 && n <= MAX_RATE,
        `a number above 0, at most ${MAX_RATE}`,
      ),
      jasonPercent: number(
        'jason-percent',
        values['jason-percent'],
        20,
        (n) => n >= 0 && n <= 100,
        'a percentage 0-100',
      ),
      readyTimeoutMs:
        number('ready-timeout', values['ready-timeout'], 180, (n) => n > 0, 'a number of seconds above 0') *
        1000,
    };
    // Loaded after the flags are checked, so usage errors answer at once.
    const { runDemo } = await import('../demo/run');
    return runDemo(options);
  },
};
