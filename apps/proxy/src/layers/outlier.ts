/**
 * Outlier detection, Envoy semantics (envoy/source/extensions/outlier_detection... and the
 * arch overview "Outlier detection"):
 * - consecutive 5xx: every 5xx and every locally-originated failure (connect failure, reset,
 *   timeout; Envoy maps those to 5xx when split_external_local_origin_errors is off) counts; a
 *   success resets the count. Reaching the threshold ejects at once, not at the next interval.
 * - consecutive gateway errors: 502, 503, 504 and local failures.
 * - an ejected host returns once baseEjectionTime × (times ejected) has passed, checked every
 *   interval; the multiplier decays by one per interval while the host stays healthy.
 * - maxEjectionPercent caps ejected hosts, but one host can always be ejected (Envoy ≥ 1.21).
 * Istio's defaults are applied by translate; absent thresholds disable that detector.
 */

import type { EndpointState } from '../cluster/state';
import type { ClusterRuntime } from '../config/compile';
import type { Outcome } from '../upstream/outcome';
import type { Layer } from './types';

export type OutlierResult = 'success' | 'error5xx' | 'gateway' | 'local';

export function classifyOutcome(o: Outcome): OutlierResult {
  if (o.kind === 'upstream') {
    const s = o.status;
    if (s === 502 || s === 503 || s === 504) return 'gateway';
    return s >= 500 ? 'error5xx' : 'success';
  }
  if (o.flag === 'UF' || o.flag === 'UT') return 'local';
  return 'success';
}

/** Record one try's result for its endpoint; may eject it. Returns true when it ejected now. */
export function observe(
  cluster: ClusterRuntime,
  ep: EndpointState,
  result: OutlierResult,
  nowMs: number,
): boolean {
  const od = cluster.outlier;
  ep.totalRequests++;
  if (result === 'success') {
    ep.consecutive5xx = 0;
    ep.consecutiveGateway = 0;
    return false;
  }
  ep.totalErrors++;
  if (od === null || ep.ejected) return false;
  ep.consecutive5xx++;
  if (result !== 'error5xx') ep.consecutiveGateway++;
  else ep.consecutiveGateway = 0;
  const t5 = od.consecutive5xxErrors ?? 0;
  const tg = od.consecutiveGatewayErrors ?? 0;
  const trip = (t5 > 0 && ep.consecutive5xx >= t5) || (tg > 0 && ep.consecutiveGateway >= tg);
  if (!trip) return false;
  if (!mayEject(cluster, od.maxEjectionPercent)) return false;
  ep.ejected = true;
  ep.ejectedAtMs = nowMs;
  ep.ejections++;
  ep.consecutive5xx = 0;
  ep.consecutiveGateway = 0;
  cluster.state.stats.ejections++;
  return true;
}

function mayEject(cluster: ClusterRuntime, maxPercent: number): boolean {
  const total = cluster.endpoints.length;
  if (total === 0) return false;
  let ejected = 0;
  for (const e of cluster.endpoints) if (e.state.ejected) ejected++;
  if (ejected === 0) return true;
  return (100 * (ejected + 1)) / total <= maxPercent;
}

/** The interval sweep: return hosts whose ejection time is over; decay multipliers of healthy hosts. */
export function sweep(cluster: ClusterRuntime, nowMs: number): void {
  const od = cluster.outlier;
  if (od === null) return;
  for (const e of cluster.endpoints) {
    const s = e.state;
    if (s.ejected) {
      if (nowMs - s.ejectedAtMs >= od.baseEjectionTimeMs * s.ejections) s.ejected = false;
    } else if (s.ejections > 0 && nowMs - s.ejectedAtMs >= od.baseEjectionTimeMs * s.ejections) {
      s.ejections--;
    }
  }
}

/**
 * (Re)arm each cluster's interval timer after a config swap; the timer always sweeps the cluster
 * as the current config describes it.
 */
export function scheduleSweeps(
  clusters: Iterable<ClusterRuntime>,
  current: (name: string) => ClusterRuntime | undefined,
): void {
  for (const c of clusters) {
    const st = c.state;
    if (st.outlierTimer) clearInterval(st.outlierTimer);
    st.outlierTimer = null;
    if (c.outlier === null) {
      for (const e of c.endpoints) e.state.ejected = false;
      continue;
    }
    const name = c.name;
    st.outlierTimer = setInterval(() => {
      const now = current(name);
      if (now) sweep(now, performance.now());
    }, c.outlier.intervalMs);
    st.outlierTimer.unref();
  }
}

/** Sits just outside the upstream call, so it sees exactly one try's result for one endpoint. */
export const outlierLayer: Layer = (next) => async (call) => {
  const ep = call.endpoint!;
  const o = await next(call);
  if (!call.cancelled) observe(call.cluster!, ep.state, classifyOutcome(o), performance.now());
  return o;
};
