/** UTC, so the server's HTML and the browser's render agree in any time zone. */
export function utcDateTimeMs(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Durations of spans are often below a millisecond; formatMs would say "<1 ms" for all of them. */
export function formatSpanMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
