/**
 * Circuit breaking for HTTP/1.1 clusters, Envoy semantics: at most maxConnections requests hold
 * a connection (one request per HTTP/1.1 connection); up to http1MaxPendingRequests more wait in
 * a FIFO queue; beyond that a try fails at once with 503 UO. Sits inside retries (each try needs
 * a slot) and outside the balancer (the limit is per cluster, not per endpoint). HTTP/2
 * clusters multiplex, so the connection limit does not bound their requests.
 */

import type { ClusterState } from '../cluster/state';
import type { ClusterRuntime } from '../config/compile';
import { LocalReply } from '../upstream/outcome';
import type { Layer } from './types';

export type Admission = 'admitted' | 'queued' | 'overflow';

/** Take a slot if one is free; otherwise say whether the try may queue. */
export function admit(st: ClusterState, c: ClusterRuntime): Admission {
  st.maxActive = c.limits.maxConnections;
  if (st.active < c.limits.maxConnections) {
    st.active++;
    return 'admitted';
  }
  return st.pending.length < c.limits.maxPending ? 'queued' : 'overflow';
}

export function overflow(c: ClusterRuntime): LocalReply {
  return new LocalReply(
    503,
    'UO',
    `upstream overflow: ${c.name} is at its connection pool limit (maxConnections ${c.limits.maxConnections}, http1MaxPendingRequests ${c.limits.maxPending})\n`,
    'overflow',
  );
}

function wait(st: ClusterState): Promise<boolean> {
  return new Promise((resolve) => st.pending.push(resolve));
}

export const circuitBreakerLayer: Layer = (next) => async (call) => {
  const c = call.cluster!;
  if (call.upstreamH2) return next(call);
  const st = c.state;
  const a = admit(st, c);
  if (a === 'overflow') {
    st.stats.overflow++;
    return overflow(c);
  }
  if (a === 'queued') {
    const ok = await wait(st);
    if (!ok) return overflow(c);
    if (call.cancelled) {
      st.release();
      return new LocalReply(504, 'UT', 'upstream request timeout while queued\n', 'timeout');
    }
  }
  const o = await next(call);
  // The slot is the connection: it frees when the response body is done, not at the head.
  if (o.kind === 'upstream') o.hold(st);
  else st.release();
  return o;
};
