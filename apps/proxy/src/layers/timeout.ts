/**
 * Deadlines. The route timeout spans every try (Envoy's route timeout, Istio `timeout`); a
 * per-try timeout (retries.perTryTimeout) spans one. Both end at the response head: a body that
 * is already streaming (gRPC server streaming) is not cut off.
 */
import type { Call } from '../http/call';
import { LocalReply, type Outcome } from '../upstream/outcome';
import type { Layer } from './types';

class Race {
  done = false;
  timer: NodeJS.Timeout | null = null;
  constructor(
    readonly call: Call,
    readonly perTry: boolean,
    readonly ms: number,
    readonly resolve: (o: Outcome) => void,
  ) {}
}

function expire(r: Race): void {
  if (r.done) return;
  r.done = true;
  const call = r.call;
  if (!r.perTry) {
    call.cancelled = true;
    call.flag('UT');
  }
  call.inflight?.cancel();
  const cluster = call.cluster?.name ?? call.ex.authority;
  r.resolve(
    new LocalReply(
      504,
      'UT',
      `upstream request timeout (${r.perTry ? 'per-try ' : ''}${r.ms} ms, cluster ${cluster})\n`,
      'timeout',
    ),
  );
}

function settle(this: Race, o: Outcome): void {
  if (this.done) {
    // Lost the race: the proxy already answered; drop the late response.
    if (o.kind === 'upstream') o.cancel();
    return;
  }
  this.done = true;
  if (this.timer) clearTimeout(this.timer);
  this.resolve(o);
}

/** Resolves with `p`, or with 504 UT after `ms` (cancelling the try in flight). */
export function withDeadline(p: Promise<Outcome>, ms: number, call: Call, perTry: boolean): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const r = new Race(call, perTry, ms, resolve);
    r.timer = setTimeout(expire, ms, r);
    p.then(settle.bind(r));
  });
}

export const timeoutLayer: Layer = (next) => (call) => {
  const ms = call.action!.timeoutMs;
  if (ms <= 0) return next(call);
  return withDeadline(next(call), ms, call, false);
};
