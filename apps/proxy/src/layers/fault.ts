/**
 * Fault injection (Istio HTTPFaultInjection → Envoy's fault filter): delay first, then abort,
 * each with its own percentage. Sits outside the timeout because Envoy's fault filter runs before
 * the router, so an injected delay is not counted against the route timeout.
 */
import type { FaultPolicy } from '@trellis/shared';
import { LocalReply } from '../upstream/outcome';
import type { Layer } from './types';

export function roll(percent: number, random: () => number = Math.random): boolean {
  return percent >= 100 || (percent > 0 && random() * 100 < percent);
}

export function abortReply(abort: NonNullable<FaultPolicy['abort']>): LocalReply {
  if (abort.grpcStatus !== undefined)
    return new LocalReply(200, 'FI', 'fault filter abort', null, abort.grpcStatus);
  return new LocalReply(abort.httpStatus ?? 503, 'FI', 'fault filter abort\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export const faultLayer: Layer = (next) => async (call) => {
  const f = call.action!.fault;
  if (f === null) return next(call);
  if (f.delay && roll(f.delay.percent)) {
    await sleep(f.delay.fixedDelayMs);
    call.flag('DI');
    if (call.cancelled) return new LocalReply(499, 'DC', 'client went away\n');
  }
  if (f.abort && roll(f.abort.percent)) return abortReply(f.abort);
  return next(call);
};
