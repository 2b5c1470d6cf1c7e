/** Display helpers; units in the names as in the telemetry API (rates per second, fractions 0–1). */
export function formatRps(rps: number | null): string {
  if (rps === null) return '—';
  if (rps === 0) return '0';
  if (rps < 0.01) return '<0.01';
  return rps < 10 ? rps.toFixed(2) : rps.toFixed(1);
}

export function formatPercent(fraction: number | null): string {
  if (fraction === null) return '—';
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  return `${pct < 10 ? pct.toFixed(1) : pct.toFixed(0)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
