/**
 * Durations in resources ("1s", "0.5s", "100ms", "1m30s") to milliseconds. Validation rejects bad
 * ones before they are stored, so an unparsable value here means "not set".
 */
const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)/y;

export function durationMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  let matched = 0;
  while (PART.lastIndex < value.length) {
    const m = PART.exec(value);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
    matched += 1;
  }
  return matched > 0 ? Math.round(total) : undefined;
}
