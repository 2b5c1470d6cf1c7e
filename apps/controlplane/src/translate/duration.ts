import { parseDuration } from '@trellis/shared/duration';

/**
 * A resource duration ("1s", "0.5s", "100ms", "1m30s") in milliseconds. Validation rejects bad
 * ones before they are stored, so an unparsable value here means "not set".
 */
export function durationMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.ms : undefined;
}
