import type { TimeView } from '../types';

/**
 * "12 s ago" from a control plane time, relative to `nowMs` (when the view was built). The text
 * is made on the server, so the first HTML and the hydrated page agree; the page refreshes every
 * 5 s, which bounds how old the text gets.
 */
export function ago(ms: number, nowMs: number): string {
  // A time slightly ahead is clock skew between the control plane and the console, not the future.
  const s = Math.max(0, Math.floor((nowMs - ms) / 1000));
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h ago` : `${h} h ${min % 60} min ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** RFC 3339 → the time to show; null when absent. An unreadable time is shown as sent. */
export function timeView(iso: string | null | undefined, nowMs: number): TimeView | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { iso, utc: iso, ago: iso };
  return {
    iso,
    utc: `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    ago: ago(ms, nowMs),
  };
}
