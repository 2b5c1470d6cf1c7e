import type { ProfileSummary } from './profile';
import type { LatencySummary } from './vegeta';

export interface BenchRow {
  name: string;
  cpuSecondsPer1000: number;
  peakRssMb: number;
  /** Garbage-collection pauses during the measured run (nodejs_gc_duration_seconds deltas). */
  gc: GcPauses;
}

export interface GcPauses {
  count: number;
  totalMs: number;
  /** Pauses longer than 10 ms: each one holds every request in flight for that long. */
  over10ms: number;
}

/** Sums nodejs_gc_duration_seconds over every kind of collection from one Prometheus page. */
export function gcTotals(page: string): GcPauses {
  let count = 0;
  let sum = 0;
  let upTo10ms = 0;
  for (const line of page.split('\n')) {
    const [series, value] = line.split(' ');
    if (!series || value === undefined) continue;
    const n = Number(value);
    if (series.startsWith('nodejs_gc_duration_seconds_count')) count += n;
    else if (series.startsWith('nodejs_gc_duration_seconds_sum')) sum += n;
    else if (series.startsWith('nodejs_gc_duration_seconds_bucket') && series.includes('le="0.01"'))
      upTo10ms += n;
  }
  return { count, totalMs: sum * 1000, over10ms: count - upTo10ms };
}

export function gcDelta(before: GcPauses, after: GcPauses): GcPauses {
  return {
    count: after.count - before.count,
    totalMs: after.totalMs - before.totalMs,
    over10ms: after.over10ms - before.over10ms,
  };
}

interface Result {
  date: string;
  machine: { cores: number; node: string; loadAverage1m: number };
  rate: number;
  duration: string;
  direct: LatencySummary;
  meshed: LatencySummary;
  addedMs: { p50: number; p90: number; p99: number };
  sidecars: BenchRow[];
  targets: { addedP90Ms: number; addedP99Ms: number; vcpuPer1000Rps: number; rssMb: number };
}

const f = (n: number, d = 2) => n.toFixed(d);
const mark = (ok: boolean) => (ok ? 'meets target' : '**misses target**');

export function markdownTable(r: Result, profile?: ProfileSummary): string {
  const lines = [
    `# Data-plane benchmark (${r.date})`,
    '',
    `${r.rate} rps for ${r.duration}, 1 KiB responses, keep-alive; ${r.machine.cores} cores, Node ${r.machine.node}, load average ${f(r.machine.loadAverage1m)} at the end.`,
    'Baseline and meshed path measured in the same run; "added" is meshed minus direct. Sidecars run the prebuilt bundle (apps/cli/dist/sidecar.mjs).',
    '',
    '| path | requests | success | p50 ms | p90 ms | p99 ms | max ms | achieved rps |',
    '|---|---|---|---|---|---|---|---|',
    ...(['direct', 'meshed'] as const).map((k) => {
      const s = r[k];
      return `| ${k === 'direct' ? 'direct (baseline)' : 'two sidecars'} | ${s.requests} | ${f(s.success * 100, 1)}% | ${f(s.p50Ms)} | ${f(s.p90Ms)} | ${f(s.p99Ms)} | ${f(s.maxMs)} | ${f(s.achievedRps, 0)} |`;
    }),
    '',
    '| added by two sidecars | ms | target |',
    '|---|---|---|',
    `| p50 | ${f(r.addedMs.p50)} | |`,
    `| p90 | ${f(r.addedMs.p90)} | ≤ ${r.targets.addedP90Ms} ms: ${mark(r.addedMs.p90 <= r.targets.addedP90Ms)} |`,
    `| p99 | ${f(r.addedMs.p99)} | ≤ ${r.targets.addedP99Ms} ms: ${mark(r.addedMs.p99 <= r.targets.addedP99Ms)} |`,
    '',
    '| sidecar | CPU s per 1,000 requests (= vCPU at 1,000 rps) | peak RSS MB | GC pauses (total ms, > 10 ms) |',
    '|---|---|---|---|',
    ...r.sidecars.map(
      (s) =>
        `| ${s.name} | ${f(s.cpuSecondsPer1000, 3)} (${mark(s.cpuSecondsPer1000 <= r.targets.vcpuPer1000Rps)}) | ${f(s.peakRssMb, 1)} (${mark(s.peakRssMb <= r.targets.rssMb)}) | ${s.gc.count} (${f(s.gc.totalMs, 0)} ms, ${s.gc.over10ms} over 10 ms) |`,
    ),
    '',
  ];
  if (profile && profile.top.length > 0) {
    lines.push(
      `## Where a sidecar's CPU goes (${profile.file}, self time; a separate pass with the sidecar run from the sources so locations name files)`,
      '',
      '| function | location | self % |',
      '|---|---|---|',
      ...profile.top.map(
        (t) => `| ${t.functionName || '(anonymous)'} | ${t.location} | ${f(t.selfPercent, 1)} |`,
      ),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
