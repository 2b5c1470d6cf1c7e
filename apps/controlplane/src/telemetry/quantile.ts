/**
 * Quantiles from cumulative histogram buckets, with the semantics of PromQL's
 * histogram_quantile (https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile):
 * linear interpolation inside the bucket that holds the rank, the first bucket starting at 0,
 * and the highest finite bound when the rank falls in the +Inf bucket. Both telemetry backends
 * compute quantiles here from bucket rates, so they agree by construction.
 */

export interface Bucket {
  /** Upper bound (le); Infinity for +Inf. */
  le: number;
  /** Cumulative count (or rate) of observations <= le. */
  count: number;
}

/** null when there are no observations (PromQL would say NaN). */
export function histogramQuantile(q: number, input: readonly Bucket[]): number | null {
  if (input.length === 0 || Number.isNaN(q)) return null;
  const buckets = [...input].sort((a, b) => a.le - b.le);
  const last = buckets[buckets.length - 1]!;
  if (last.le !== Number.POSITIVE_INFINITY) return null;
  // Rates of separately scraped bucket series can be slightly non-monotonic; PromQL evens them.
  for (let i = 1; i < buckets.length; i++) {
    if (buckets[i]!.count < buckets[i - 1]!.count)
      buckets[i] = { le: buckets[i]!.le, count: buckets[i - 1]!.count };
  }
  const total = last.count;
  if (!(total > 0)) return null;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const rank = q * total;
  let i = buckets.findIndex((b) => b.count >= rank);
  if (i < 0) i = buckets.length - 1;
  if (i === buckets.length - 1) return buckets.length >= 2 ? buckets[buckets.length - 2]!.le : null;
  const upper = buckets[i]!;
  if (i === 0 && upper.le <= 0) return upper.le;
  const lowerLe = i === 0 ? 0 : buckets[i - 1]!.le;
  const lowerCount = i === 0 ? 0 : buckets[i - 1]!.count;
  const inBucket = upper.count - lowerCount;
  if (inBucket <= 0) return upper.le;
  return lowerLe + (upper.le - lowerLe) * ((rank - lowerCount) / inBucket);
}

/** Parses an `le` label value ("+Inf", "0.5"). */
export function parseLe(le: string): number {
  return le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
}
