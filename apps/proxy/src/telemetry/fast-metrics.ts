/**
 * prom-client metrics with a cheap per-request path. prom-client's own inc()/observe() validate
 * and hash every label on every call (about 7 µs each with Istio's 25 labels, measured); here a
 * series is looked up once by the caller's key and then updated with plain arithmetic. The
 * classes extend prom-client's, so the registry, the exposition format and the metric types stay
 * prom-client's: only get(), which the registry calls at scrape time, reads our accumulators.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

interface Config {
  name: string;
  help: string;
  labelNames: readonly string[];
  registers: Registry[];
}

export interface CounterSeries {
  value: number;
}

export class FastCounter extends Counter<string> {
  private readonly series: { labels: Record<string, string>; s: CounterSeries }[] = [];
  private readonly names: readonly string[];

  constructor(cfg: Config) {
    super({ name: cfg.name, help: cfg.help, labelNames: [...cfg.labelNames], registers: cfg.registers });
    this.names = cfg.labelNames;
  }

  /** A new series for these label values (in labelNames order); callers keep and reuse it. */
  newSeries(values: readonly string[]): CounterSeries {
    const s: CounterSeries = { value: 0 };
    this.series.push({ labels: zip(this.names, values), s });
    return s;
  }

  override async get() {
    const base = await super.get();
    return { ...base, values: this.series.map(({ labels, s }) => ({ labels, value: s.value })) };
  }
}

export interface HistogramSeries {
  /** Per bucket (not cumulative), the last slot is +Inf. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

export class FastHistogram extends Histogram<string> {
  private readonly series: { labels: Record<string, string>; s: HistogramSeries }[] = [];
  private readonly names: readonly string[];
  private readonly bounds: readonly number[];
  private readonly metricName: string;
  private readonly helpText: string;

  constructor(cfg: Config & { buckets: readonly number[] }) {
    super({
      name: cfg.name,
      help: cfg.help,
      labelNames: [...cfg.labelNames],
      buckets: [...cfg.buckets],
      registers: cfg.registers,
    });
    this.names = cfg.labelNames;
    this.metricName = cfg.name;
    this.helpText = cfg.help;
    this.bounds = [...cfg.buckets].sort((a, b) => a - b);
  }

  newSeries(values: readonly string[]): HistogramSeries {
    const s: HistogramSeries = { counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
    this.series.push({ labels: zip(this.names, values), s });
    return s;
  }

  observeIn(s: HistogramSeries, v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    s.counts[i]! += 1;
    s.sum += v;
    s.count += 1;
  }

  /**
   * What prom-client's registry reads for a histogram (its get() builds on this too). Not in
   * prom-client's typings, hence no `override`; the shape is the one histogram.js returns.
   */
  async getForPromString() {
    const name = this.metricName;
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const { labels, s } of this.series) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.counts[i]!;
        values.push({
          labels: { ...labels, le: this.bounds[i]! },
          value: cumulative,
          metricName: `${name}_bucket`,
        });
      }
      values.push({ labels: { ...labels, le: '+Inf' }, value: s.count, metricName: `${name}_bucket` });
      values.push({ labels, value: s.sum, metricName: `${name}_sum` });
      values.push({ labels, value: s.count, metricName: `${name}_count` });
    }
    return { name, help: this.helpText, type: 'histogram', aggregator: 'sum', values };
  }
}

function zip(names: readonly string[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) out[names[i]!] = values[i] ?? '';
  return out;
}
