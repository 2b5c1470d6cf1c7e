/**
 * Endpoint pick over the endpoints outlier detection has not ejected: ROUND_ROBIN, LEAST_REQUEST
 * (power of two choices on in-flight requests, Envoy's default choice_count 2) or RANDOM. A retry
 * avoids the endpoint of the previous try when another is healthy (Istio configures Envoy's
 * previous_hosts retry predicate).
 */
import type { ClusterRuntime, EndpointRuntime } from '../config/compile';
import { LocalReply } from '../upstream/outcome';
import type { Layer } from './types';

function healthyCount(eps: readonly EndpointRuntime[]): number {
  let n = 0;
  for (const e of eps) if (!e.state.ejected) n++;
  return n;
}

function nthHealthy(eps: readonly EndpointRuntime[], n: number): EndpointRuntime {
  for (const e of eps) if (!e.state.ejected && n-- === 0) return e;
  return eps[0]!;
}

export function pickEndpoint(
  c: ClusterRuntime,
  avoid: EndpointRuntime | null,
  random: () => number = Math.random,
): EndpointRuntime | null {
  const eps = c.endpoints;
  const n = eps.length;
  if (n === 0) return null;
  if (c.lb === 'ROUND_ROBIN') {
    const st = c.state;
    let fallback: EndpointRuntime | null = null;
    for (let i = 0; i < n; i++) {
      const idx = st.rr % n;
      st.rr = idx + 1;
      const e = eps[idx]!;
      if (e.state.ejected) continue;
      if (e !== avoid) return e;
      fallback = e;
    }
    return fallback;
  }
  const h = healthyCount(eps);
  if (h === 0) return null;
  if (h === 1) return nthHealthy(eps, 0);
  if (c.lb === 'RANDOM') {
    if (avoid !== null && !avoid.state.ejected) {
      let k = Math.floor(random() * (h - 1));
      for (const e of eps) if (!e.state.ejected && e !== avoid && k-- === 0) return e;
    }
    return nthHealthy(eps, Math.floor(random() * h));
  }
  // LEAST_REQUEST: two distinct random healthy endpoints, the less loaded wins.
  const i = Math.floor(random() * h);
  let j = Math.floor(random() * (h - 1));
  if (j >= i) j++;
  const a = nthHealthy(eps, i);
  const b = nthHealthy(eps, j);
  if (a === avoid) return b;
  if (b === avoid) return a;
  return b.state.active < a.state.active ? b : a;
}

export function noHealthyUpstream(c: ClusterRuntime): LocalReply {
  const why =
    c.endpoints.length === 0 ? 'it has no endpoints' : 'every endpoint is ejected by outlier detection';
  return new LocalReply(503, 'UH', `no healthy upstream for ${c.name}: ${why}\n`, 'no-healthy');
}

export const balanceLayer: Layer = (next) => async (call) => {
  const c = call.cluster!;
  const ep = pickEndpoint(c, call.endpoint);
  if (ep === null) {
    c.state.stats.noHealthy++;
    return noHealthyUpstream(c);
  }
  call.previous = call.endpoint;
  call.endpoint = ep;
  ep.state.active++;
  const o = await next(call);
  // In-flight until the body is done, which is the load LEAST_REQUEST should see.
  if (o.kind === 'upstream') o.hold(ep.state);
  else ep.state.active--;
  return o;
};
