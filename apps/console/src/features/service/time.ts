/**
 * Times as UTC "HH:MM" / "HH:MM:SS": the same text on the server and in the browser (no
 * hydration mismatch across time zones), and the same clock the control plane logs in.
 */
export function utcClock(ms: number, seconds = false): string {
  return new Date(ms).toISOString().slice(11, seconds ? 19 : 16);
}

/** RFC 3339 → "2026-01-01 12:00:03 UTC"; "—" when absent or unreadable. */
export function utcDateTime(iso: string | null): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
