/**
 * Retries (Istio HTTPRetry → Envoy retry_policy): `attempts` retries after the first try, each
 * try optionally bounded by perTryTimeout, on the retryOn conditions, with Envoy's jittered
 * exponential back-off (25 ms base, 250 ms cap). The cluster's maxRetries bounds retries in
 * flight across all requests (Envoy's retry circuit breaker). When the last try is still a
 * failure the policy would retry, the response carries URX.
 */
import { type CompiledRetry, RetryOn } from '../config/compile';
import type { Call } from '../http/call';
import type { Outcome } from '../upstream/outcome';
import { withDeadline } from './timeout';
import type { Layer, Service } from './types';

const GRPC_RETRY: Record<string, number> = {
  '1': RetryOn.cancelled,
  '4': RetryOn['deadline-exceeded'],
  '8': RetryOn['resource-exhausted'],
  '13': RetryOn.internal,
  '14': RetryOn.unavailable,
};

export function retriable(p: CompiledRetry, o: Outcome): boolean {
  const on = p.on;
  if (o.kind === 'local') {
    switch (o.cause) {
      case 'connect-failure':
        return (
          (on & (RetryOn['5xx'] | RetryOn['gateway-error'] | RetryOn['connect-failure'] | RetryOn.reset)) !==
          0
        );
      case 'reset':
      case 'timeout':
        return (on & (RetryOn['5xx'] | RetryOn['gateway-error'] | RetryOn.reset)) !== 0;
      case 'refused-stream':
        return (on & (RetryOn['5xx'] | RetryOn['refused-stream'] | RetryOn.reset)) !== 0;
      default:
        // Overflow and no-healthy are local decisions; retrying cannot help (Envoy does not).
        return false;
    }
  }
  const s = o.status;
  if (s >= 500 && on & RetryOn['5xx']) return true;
  if ((s === 502 || s === 503 || s === 504) && on & RetryOn['gateway-error']) return true;
  if (on & RetryOn['retriable-status-codes'] && p.codes.has(s)) return true;
  const g = o.headers['grpc-status'];
  if (typeof g === 'string' && g !== '0') {
    const bit = GRPC_RETRY[g];
    if (bit !== undefined && on & bit) return true;
  }
  return false;
}

/** Envoy: a random wait in [0, (2^n − 1) × 25 ms], capped at 250 ms. */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  return Math.min(250, random() * 25 * (2 ** retry - 1));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function tryOnce(next: Service, call: Call, p: CompiledRetry | null): Promise<Outcome> {
  call.attempts++;
  if (p !== null && p.perTryTimeoutMs > 0) return withDeadline(next(call), p.perTryTimeoutMs, call, true);
  return next(call);
}

export const retryLayer: Layer = (next) => async (call) => {
  const p = call.action!.retry;
  let o = await tryOnce(next, call, p);
  if (p === null) return o;
  const c = call.cluster!;
  const st = c.state;
  let retries = 0;
  while (!call.cancelled && retriable(p, o)) {
    if (retries >= p.attempts) {
      call.flag('URX');
      break;
    }
    if (st.retriesActive >= c.limits.maxRetries) {
      st.stats.retryOverflow++;
      break;
    }
    if (o.kind === 'upstream') o.discard();
    retries++;
    st.retriesActive++;
    st.stats.retries++;
    try {
      await sleep(backoffMs(retries));
      if (call.cancelled) break;
      o = await tryOnce(next, call, p);
    } finally {
      st.retriesActive--;
    }
  }
  return o;
};
