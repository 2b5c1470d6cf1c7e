import type { HTTPRetry, RetryPolicy } from '@trellis/shared';
import { durationMs } from './duration';

/** Istio's default outbound retry policy (pilot route/retry: DefaultPolicy). */
export const DEFAULT_RETRY_ON = [
  'connect-failure',
  'refused-stream',
  'unavailable',
  'cancelled',
  'retriable-status-codes',
];

export function defaultRetryPolicy(): RetryPolicy {
  return { attempts: 2, retryOn: [...DEFAULT_RETRY_ON], retriableStatusCodes: [503] };
}

/**
 * Istio's ConvertPolicy: no `retries` → the default; `attempts: 0` (or unset inside an explicit
 * `retries`) disables retries; otherwise the default with the given fields overriding. Numbers
 * in retryOn are status codes and imply "retriable-status-codes".
 */
export function retryPolicy(retries: HTTPRetry | undefined): RetryPolicy | undefined {
  if (retries === undefined) return defaultRetryPolicy();
  const attempts = retries.attempts ?? 0;
  if (attempts <= 0) return undefined;
  const out: RetryPolicy = { ...defaultRetryPolicy(), attempts };
  if (retries.retryOn !== undefined && retries.retryOn.trim() !== '') {
    const conditions: string[] = [];
    const codes: number[] = [];
    for (const raw of retries.retryOn.split(',')) {
      const part = raw.trim();
      if (part === '') continue;
      const n = Number(part);
      if (/^\d+$/.test(part) && n >= 100 && n <= 599) codes.push(n);
      else conditions.push(part);
    }
    if (codes.length > 0 && !conditions.includes('retriable-status-codes'))
      conditions.push('retriable-status-codes');
    out.retryOn = conditions;
    out.retriableStatusCodes = codes;
  }
  const perTry = durationMs(retries.perTryTimeout);
  if (perTry !== undefined && perTry > 0) out.perTryTimeoutMs = perTry;
  return out;
}
