/**
 * Health from an error rate (fraction 0–1), with Kiali's default request thresholds
 * (REQUESTS_THRESHOLDS in its frontend: degraded at 0.1 %, failure at 20 %), so a Kiali user
 * reads the colours the same way. `idle`: no requests in the window, so nothing to judge.
 */
export type Health = 'healthy' | 'degraded' | 'failure' | 'idle';

/** Error rate (fraction) from which traffic is degraded (amber). */
export const DEGRADED_ERROR_RATE = 0.001;
/** Error rate (fraction) from which traffic is failing (red). */
export const FAILURE_ERROR_RATE = 0.2;

export function healthOf(rps: number, errorRate: number | null): Health {
  if (rps <= 0 || errorRate === null) return 'idle';
  if (errorRate >= FAILURE_ERROR_RATE) return 'failure';
  if (errorRate >= DEGRADED_ERROR_RATE) return 'degraded';
  return 'healthy';
}

const RANK: Record<Health, number> = { idle: 0, healthy: 1, degraded: 2, failure: 3 };

/** An app box is as healthy as its least healthy version. */
export function worstHealth(all: Health[]): Health {
  let worst: Health = 'idle';
  for (const h of all) if (RANK[h] > RANK[worst]) worst = h;
  return worst;
}
