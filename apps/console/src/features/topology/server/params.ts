/**
 * The query of GET /api/topology, read the way the control plane reads its own `window`
 * (docs/telemetry.md: 60s default, 5m, or seconds; 1 s – 6 h), so the console rejects what the
 * control plane would reject, with a message about the console's parameter.
 */

export const DEFAULT_WINDOW = '60s';
const MAX_WINDOW_SECONDS = 6 * 3600;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };
/** A Kubernetes namespace name (RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface TopologyParams {
  /** null: every namespace. */
  namespace: string | null;
  windowSeconds: number;
}

export type ParamsResult = { ok: true; params: TopologyParams } | { ok: false; detail: string };

export function parseWindow(raw: string): number | null {
  const m = /^(\d{1,6})([smh]?)$/.exec(raw.trim());
  if (!m) return null;
  const seconds = Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? 1);
  return seconds >= 1 && seconds <= MAX_WINDOW_SECONDS ? seconds : null;
}

export function parseTopologyParams(search: URLSearchParams): ParamsResult {
  const ns = search.get('namespace')?.trim() || null;
  if (ns !== null && (ns.length > 63 || !NAMESPACE.test(ns)))
    return { ok: false, detail: `namespace: "${ns}" is not a namespace name` };
  const rawWindow = search.get('window')?.trim() || DEFAULT_WINDOW;
  const windowSeconds = parseWindow(rawWindow);
  if (windowSeconds === null)
    return { ok: false, detail: `window: "${rawWindow}" is not a duration between 1s and 6h (e.g. 60s, 5m)` };
  return { ok: true, params: { namespace: ns, windowSeconds } };
}
