/** Plain counters for the admin port's /stats (Envoy-style names); Prometheus metrics are telemetry's job. */
export class Stats {
  private readonly counters = new Map<string, number>();

  inc(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  snapshot(): [string, number][] {
    return [...this.counters.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }
}
