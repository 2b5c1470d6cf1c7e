import type { Command } from '../main';
import { parseFlags, UsageError } from '../usage';

const DEFAULT_SERVER = 'http://127.0.0.1:15080';

const usage = `Usage: trellis status [--server URL] [-o table|json]

Shows each proxy's config sync state, like istioctl proxy-status:

  NAME                     NAMESPACE   STATE    VERSION   LAST ACK
  productpage-v1.default   default     SYNCED   12        3s ago

STATE is SYNCED (the proxy ACKed the latest config), STALE (a config was sent and is not ACKed
yet), NACKED (the proxy rejected the latest config and keeps serving VERSION; ERROR says why) or
DISCONNECTED (no stream; it serves its last config until it reconnects).

Flags:
  --server URL     the control plane's HTTP address (default $TRELLIS_SERVER, else ${DEFAULT_SERVER})
  -o, --output F   table (default) or json (the API's answer as is)
  -h, --help       show this help`;

/** The API's view of one proxy (GET /api/v1/mesh/proxies); only the fields printed are checked. */
interface ProxyRow {
  id: string;
  namespace: string;
  state: string;
  version: string;
  lastAckTime: string | null;
  lastError: string | null;
}

function isRow(x: unknown): x is ProxyRow {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r.id === 'string' && typeof r.namespace === 'string' && typeof r.state === 'string';
}

/** "4s ago", "3m ago", "2h ago", like kubectl's ages. */
export function ago(iso: string | null, now: number): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  if (s < 172_800) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86_400)}d ago`;
}

export function table(rows: ProxyRow[], now: number): string {
  const withError = rows.some((r) => r.lastError);
  const header = ['NAME', 'NAMESPACE', 'STATE', 'VERSION', 'LAST ACK', ...(withError ? ['ERROR'] : [])];
  const cells = rows.map((r) => [
    r.id,
    r.namespace,
    r.state,
    r.version || '-',
    ago(r.lastAckTime, now),
    ...(withError ? [r.lastError ?? ''] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]! + 3)))
      .join('')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

export const command: Command = {
  summary: 'show proxy config sync state (like istioctl proxy-status)',
  usage,
  async run(argv) {
    const { values } = parseFlags(argv, {
      server: { type: 'string' },
      output: { type: 'string', short: 'o' },
    });
    const output = values.output ?? 'table';
    if (output !== 'table' && output !== 'json')
      throw new UsageError(`--output must be table or json, got "${output}"`);
    const server = (values.server ?? process.env.TRELLIS_SERVER ?? DEFAULT_SERVER).replace(/\/+$/, '');
    let url: URL;
    try {
      url = new URL(`${server}/api/v1/mesh/proxies`);
    } catch {
      throw new UsageError(`--server must be a URL such as ${DEFAULT_SERVER}, got "${server}"`);
    }
    let body: unknown;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) {
        console.error(`trellis status: ${url} answered ${res.status} ${res.statusText}`);
        return 1;
      }
      body = await res.json();
    } catch (err) {
      const why =
        err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      console.error(`trellis status: cannot reach the control plane at ${server}: ${why}`);
      return 1;
    }
    if (!Array.isArray(body) || !body.every(isRow)) {
      console.error(`trellis status: ${url} did not answer with a list of proxies`);
      return 1;
    }
    if (output === 'json') {
      console.log(JSON.stringify(body, null, 2));
      return 0;
    }
    if (body.length === 0) {
      console.log('No proxies are connected.');
      return 0;
    }
    console.log(table(body, Date.now()));
    return 0;
  },
};
