/**
 * The last step of every request: write the outcome downstream, then report the finished
 * request once (stats, telemetry sinks, access log) when its body is done.
 */

import type { Outcome, UpstreamResponse } from '../upstream/outcome';
import type { Call } from './call';
import { NO_OPS } from './headers';

export interface CompletionObserver {
  complete(call: Call, status: number, responseBytes: number, grpcStatus: number | undefined): void;
}

const kCall = Symbol('call');
type Tagged = { [kCall]?: Call };

export function grpcStatusOf(r: UpstreamResponse): number | undefined {
  const v = r.trailers?.['grpc-status'] ?? r.headers['grpc-status'];
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

function bodyDone(r: UpstreamResponse, call: Call): void {
  call.observer?.complete(call, r.status, r.bytes, grpcStatusOf(r));
}

export function respond(call: Call, o: Outcome, obs: CompletionObserver): void {
  const ex = call.ex;
  call.observer = obs;
  if (ex.closed) {
    // The client went away while we waited: nothing to write.
    if (o.kind === 'upstream') o.cancel();
    call.flag('DC');
    obs.complete(call, 0, 0, undefined);
    return;
  }
  if (o.kind === 'local') {
    if (o.flag !== null) call.flag(o.flag);
    if (o.grpcStatus !== undefined) {
      ex.head(
        200,
        {
          'content-type': 'application/grpc',
          'grpc-status': String(o.grpcStatus),
          'grpc-message': encodeURIComponent(o.body),
        },
        NO_OPS,
        NO_OPS,
        true,
        false,
      );
      obs.complete(call, 200, 0, o.grpcStatus);
      return;
    }
    ex.reply(o.status, o.body, null);
    obs.complete(call, o.status, Buffer.byteLength(o.body), undefined);
    return;
  }
  const [a, b] = call.responseOps;
  // gRPC errors often come as a head with END_STREAM (trailers-only): pass that shape through.
  const trailersOnly = ex.protocol === 'h2' && o.ended && o.bytes === 0 && o.trailers === null;
  ex.head(o.status, o.headers, a, b, trailersOnly, call.upstreamH2 && ex.protocol === 'h2');
  if (trailersOnly) {
    o.discard();
    obs.complete(call, o.status, 0, grpcStatusOf(o));
    return;
  }
  o.attach(ex, bodyDone, call);
}

/** The client hung up before the response finished: cancel the upstream side (flag DC). */
export function onClientClose(this: Tagged): void {
  const call = this[kCall];
  if (call === undefined) return;
  this[kCall] = undefined;
  if (call.completed) return;
  call.cancelled = true;
  call.flag('DC');
  call.inflight?.cancel();
}

export function watchClient(emitter: { once(ev: 'close', fn: () => void): unknown }, call: Call): void {
  (emitter as Tagged)[kCall] = call;
  emitter.once('close', onClientClose as () => void);
}
