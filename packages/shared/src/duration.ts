/**
 * Durations as Istio's YAML writes them: Go's time.ParseDuration syntax ("1s", "0.5s", "100ms",
 * "1h30m") which the Kubernetes CRD's CEL `duration()` also accepts. Istio's own validation
 * (pkg/config/validation/agent ValidateDuration) supports whole milliseconds only, so anything
 * finer is refused here rather than silently rounded.
 */
export type DurationResult =
  | { ok: true; ms: number }
  | { ok: false; reason: 'syntax' | 'negative' | 'precision'; message: string };

/** Nanoseconds per unit, as Go names them. */
const UNIT_NANOS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const PART = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;

/** Parses a duration to whole milliseconds; exact (integer nanoseconds, no float rounding). */
export function parseDuration(input: string): DurationResult {
  const syntax = (): DurationResult => ({
    ok: false,
    reason: 'syntax',
    message: `invalid duration "${input}": use a number and a unit such as "1s", "0.5s", "100ms" or "1h30m"`,
  });
  let rest = input.trim();
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  // Go accepts a bare zero without a unit.
  if (rest === '0') return { ok: true, ms: 0 };
  if (rest === '') return syntax();
  let nanos = 0n;
  while (rest !== '') {
    const m = PART.exec(rest);
    if (!m) return syntax();
    const whole = m[1] ?? '';
    const frac = m[2] ?? '';
    if (whole === '' && frac === '') return syntax();
    const unit = UNIT_NANOS[m[3] ?? ''] ?? 0n;
    // frac / 10^len(frac) of a unit, kept exact by scaling before dividing.
    const scale = 10n ** BigInt(frac.length);
    const fracUnits = BigInt(frac === '' ? '0' : frac) * unit;
    if (fracUnits % scale !== 0n) return precision(input);
    nanos += BigInt(whole === '' ? '0' : whole) * unit + fracUnits / scale;
    rest = rest.slice(m[0].length);
  }
  if (negative && nanos > 0n) {
    return { ok: false, reason: 'negative', message: `invalid duration "${input}": must not be negative` };
  }
  if (nanos % 1_000_000n !== 0n) return precision(input);
  return { ok: true, ms: Number(nanos / 1_000_000n) };
}

function precision(input: string): DurationResult {
  return {
    ok: false,
    reason: 'precision',
    message: `invalid duration "${input}": only durations to millisecond precision are supported`,
  };
}

/** Formats milliseconds the way Istio's examples write them: "7s", "1.5s", "100ms", "2m". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms < 1000) return `${ms}ms`;
  return `${ms / 1000}s`;
}
