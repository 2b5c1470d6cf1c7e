/**
 * Traffic mirroring (Istio mirror + mirrorPercentage → Envoy request_mirror_policies): a
 * fire-and-forget copy to the mirror cluster with "-shadow" added to the host, as Envoy does
 * ("reviews:9080" → "reviews-shadow:9080"). The copy's response is dropped and never delays or
 * fails the real request. After rewrite and header ops, so the copy is what the upstream gets.
 */
import type { ClusterRuntime } from '../config/compile';
import type { Call } from '../http/call';
import { h2RequestHeaders, NO_OPS, SOURCE_HEADER, upstreamRequestHeaders } from '../http/headers';
import { type Outcome, UpstreamResponse } from '../upstream/outcome';
import { pickEndpoint } from './balance';
import { roll } from './fault';
import type { Layer } from './types';

export function shadowHost(authority: string): string {
  const close = authority.lastIndexOf(']');
  const colon = authority.lastIndexOf(':');
  if (colon > close) return `${authority.slice(0, colon)}-shadow${authority.slice(colon)}`;
  return `${authority}-shadow`;
}

function drop(o: Outcome): void {
  if (o.kind === 'upstream') o.discard();
}

export function sendShadow(call: Call, c: ClusterRuntime): boolean {
  const ep = pickEndpoint(c, null);
  if (ep === null) return false;
  const headers = upstreamRequestHeaders(
    call.ex.rawHeaders,
    call.routeOps,
    NO_OPS,
    shadowHost(call.authority),
    call.sourceHeader !== null ? SOURCE_HEADER : null,
    call.sourceHeader ?? '',
  );
  const res = new UpstreamResponse(c.name);
  if (c.h2 || call.ex.protocol === 'h2')
    ep.state
      .http2(0, ep)
      .dispatch(h2RequestHeaders(headers, call.ex.method, call.path, true), call.ex.body, res);
  else ep.state.http1(c.poolLimits, ep).dispatch(call.ex.method, call.path, headers, call.ex.body, res);
  res.promise.then(drop);
  return true;
}

export const mirrorLayer: Layer = (next) => (call) => {
  const m = call.action!.mirror;
  if (m !== null && roll(m.percent)) sendShadow(call, m.cluster);
  return next(call);
};
