import type { ProxyRow, ProxySummary, ProxySyncState } from './types';

/**
 * The proxies page's view state and the numbers it shows, shared by the server (the view) and
 * the browser (filters): the filters live in the URL (?namespace=&state=), parsed the same way
 * on both sides; a value that is not a known state is ignored, not an error.
 */
export const SYNC_STATES: readonly ProxySyncState[] = [
  'SYNCED',
  'STALE',
  'NACKED',
  'DISCONNECTED',
  'UNKNOWN',
];

export interface ProxyFilters {
  namespace: string | null;
  state: ProxySyncState | null;
}

export function parseState(raw: string | null | undefined): ProxySyncState | null {
  const s = raw?.trim().toUpperCase();
  return SYNC_STATES.find((k) => k === s) ?? null;
}

export function parseProxyFilters(get: (name: string) => string | null): ProxyFilters {
  const namespace = get('namespace')?.trim() || null;
  return { namespace, state: parseState(get('state')) };
}

/** The query string of a filter set, keys in a fixed order so links compare equal. */
export function filtersQuery(f: ProxyFilters): string {
  const q = new URLSearchParams();
  if (f.namespace) q.set('namespace', f.namespace);
  if (f.state) q.set('state', f.state);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function filterProxies(rows: ProxyRow[], f: ProxyFilters): ProxyRow[] {
  return rows.filter(
    (r) => (f.namespace === null || r.namespace === f.namespace) && (f.state === null || r.state === f.state),
  );
}

export function summarise(rows: Pick<ProxyRow, 'state'>[]): ProxySummary {
  const byState: Record<ProxySyncState, number> = {
    SYNCED: 0,
    STALE: 0,
    NACKED: 0,
    DISCONNECTED: 0,
    UNKNOWN: 0,
  };
  for (const r of rows) byState[r.state] += 1;
  return { total: rows.length, byState };
}

const WORDS: Record<ProxySyncState, string> = {
  SYNCED: 'synced',
  NACKED: 'NACKed',
  STALE: 'stale',
  DISCONNECTED: 'disconnected',
  UNKNOWN: 'unknown',
};
/** Synced first (the good news), then the problems in the table's order. */
const SUMMARY_ORDER: readonly ProxySyncState[] = ['SYNCED', 'NACKED', 'STALE', 'UNKNOWN', 'DISCONNECTED'];

export interface SummaryPart {
  /** null for the total. */
  state: ProxySyncState | null;
  count: number;
  text: string;
}

/**
 * "6 proxies · 5 synced · 1 NACKed": the total, synced always (0 synced is news), other states
 * only when some proxy is in them.
 */
export function summaryParts(s: ProxySummary): SummaryPart[] {
  const parts: SummaryPart[] = [
    { state: null, count: s.total, text: `${s.total} ${s.total === 1 ? 'proxy' : 'proxies'}` },
  ];
  for (const state of SUMMARY_ORDER) {
    const count = s.byState[state];
    if (state === 'SYNCED' || count > 0) parts.push({ state, count, text: `${count} ${WORDS[state]}` });
  }
  return parts;
}

export function summaryText(s: ProxySummary): string {
  return summaryParts(s)
    .map((p) => p.text)
    .join(' · ');
}
