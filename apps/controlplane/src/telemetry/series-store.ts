import type { Sample } from './prom-text';
import type { RateRow } from './rates';

/**
 * The built-in backend's memory: scraped counter samples per series, in fixed-size rings.
 * Bounded twice: at most maxSeries series (new ones beyond it are dropped and counted), and at
 * most pointsPerSeries points each (older points are overwritten; points older than retention
 * are never read). Series not scraped for a whole retention period are forgotten.
 */
export interface SeriesStoreOptions {
  maxSeries: number;
  retentionMs: number;
  /** Ring size; retention / scrape interval + a little. */
  pointsPerSeries: number;
}

export class Series {
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  /** Index of the oldest point. */
  private head = 0;
  len = 0;

  constructor(
    readonly name: string,
    readonly labels: Readonly<Record<string, string>>,
    capacity: number,
  ) {
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  get lastMs(): number {
    return this.len === 0 ? Number.NEGATIVE_INFINITY : this.ts[(this.head + this.len - 1) % this.ts.length]!;
  }

  push(tMs: number, v: number): void {
    if (this.len > 0 && tMs <= this.lastMs) return;
    const cap = this.ts.length;
    if (this.len < cap) {
      const i = (this.head + this.len) % cap;
      this.ts[i] = tMs;
      this.vs[i] = v;
      this.len++;
    } else {
      this.ts[this.head] = tMs;
      this.vs[this.head] = v;
      this.head = (this.head + 1) % cap;
    }
  }

  /**
   * PromQL's rate() over (startMs, endMs]: the counter increase between the first and last
   * sample in the range (resets count from zero), extrapolated towards the range's edges the
   * way Prometheus does (at most half an average interval past a sample, never below zero), per
   * second of the range. undefined with fewer than two samples, as PromQL returns nothing.
   */
  rate(startMs: number, endMs: number): number | undefined {
    const cap = this.ts.length;
    let n = 0;
    let firstT = 0;
    let firstV = 0;
    let lastT = 0;
    let prevV = 0;
    let increase = 0;
    for (let k = 0; k < this.len; k++) {
      const i = (this.head + k) % cap;
      const t = this.ts[i]!;
      if (t <= startMs) continue;
      if (t > endMs) break;
      const v = this.vs[i]!;
      if (n === 0) {
        firstT = t;
        firstV = v;
      } else increase += v >= prevV ? v - prevV : v;
      prevV = v;
      lastT = t;
      n++;
    }
    if (n < 2) return undefined;
    const sampled = (lastT - firstT) / 1000;
    const avg = sampled / (n - 1);
    const threshold = avg * 1.1;
    let toStart = (firstT - startMs) / 1000;
    let toEnd = (endMs - lastT) / 1000;
    if (toStart >= threshold) toStart = avg / 2;
    if (increase > 0 && firstV >= 0) {
      const toZero = sampled * (firstV / increase);
      if (toZero < toStart) toStart = toZero;
    }
    if (toEnd >= threshold) toEnd = avg / 2;
    const extrapolated = increase * ((sampled + toStart + toEnd) / sampled);
    return extrapolated / ((endMs - startMs) / 1000);
  }
}

export class SeriesStore {
  /** metric name → (target + label text) → series. */
  private readonly byName = new Map<string, Map<string, Series>>();
  private count = 0;
  private droppedTotal = 0;

  constructor(private readonly opts: SeriesStoreOptions) {}

  get size(): number {
    return this.count;
  }

  get maxSeries(): number {
    return this.opts.maxSeries;
  }

  /** Samples refused because the store was full, since start. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Adds one scrape of one target, stamped with the scrape's start time. */
  ingest(target: string, tMs: number, samples: readonly Sample[]): void {
    for (const s of samples) {
      let family = this.byName.get(s.name);
      if (!family) {
        family = new Map();
        this.byName.set(s.name, family);
      }
      const key = `${target}\u0001${s.labelsText}`;
      let series = family.get(key);
      if (!series) {
        if (this.count >= this.opts.maxSeries) {
          this.droppedTotal++;
          continue;
        }
        series = new Series(s.name, s.labels, this.opts.pointsPerSeries);
        family.set(key, series);
        this.count++;
      }
      series.push(tMs, s.value);
    }
  }

  /** Forgets series whose newest point is older than the retention. */
  prune(nowMs: number): void {
    const cutoff = nowMs - this.opts.retentionMs;
    for (const family of this.byName.values()) {
      for (const [key, series] of family) {
        if (series.lastMs < cutoff) {
          family.delete(key);
          this.count--;
        }
      }
    }
  }

  /** The series of one metric whose labels pass `filter`. */
  select(name: string, filter: (labels: Readonly<Record<string, string>>) => boolean = () => true): Series[] {
    const family = this.byName.get(name);
    if (!family) return [];
    const out: Series[] = [];
    for (const s of family.values()) if (filter(s.labels)) out.push(s);
    return out;
  }

  /** `rate(name[window])` at endMs for every matching series (series without a rate are left out). */
  rates(
    name: string,
    endMs: number,
    windowMs: number,
    filter?: (labels: Readonly<Record<string, string>>) => boolean,
  ): RateRow[] {
    return ratesOf(this.select(name, filter), endMs, windowMs);
  }
}

export function ratesOf(series: readonly Series[], endMs: number, windowMs: number): RateRow[] {
  const out: RateRow[] = [];
  for (const s of series) {
    const r = s.rate(endMs - windowMs, endMs);
    if (r !== undefined) out.push({ labels: s.labels, value: r });
  }
  return out;
}
