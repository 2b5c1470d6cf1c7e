/**
 * The time ranges the service page offers. The range is view state (?range=), so it is parsed
 * from the URL on both sides; anything else falls back to the default rather than erroring.
 * The built-in telemetry backend keeps 15 minutes (docs/telemetry.md): with it, 30m and 1h
 * show empty steps before that.
 */
export const SERVICE_RANGES = ['5m', '30m', '1h'] as const;
export type ServiceRange = (typeof SERVICE_RANGES)[number];
export const DEFAULT_SERVICE_RANGE: ServiceRange = '30m';

export function parseServiceRange(raw: string | null | undefined): ServiceRange {
  return SERVICE_RANGES.find((r) => r === raw) ?? DEFAULT_SERVICE_RANGE;
}
