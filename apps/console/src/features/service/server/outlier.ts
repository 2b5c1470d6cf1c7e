import type { ServiceEndpointsStatusWire } from '@/lib/wire/proxy-admin';
import type { EndpointRow, OutlierCaller, OutlierCell, OutlierState } from '../types';

const STATES: readonly string[] = ['ejected', 'healthy', 'unknown', 'not-reported'];

/** Used when the control plane could not say (an older one without the route, or it failed). */
export const OUTLIER_NOT_REPORTED: OutlierCell = {
  state: 'not-reported',
  text: 'Not reported',
  badge: 'Not reported',
  detail: null,
  title: 'The control plane did not report the callers’ view of this endpoint.',
  ejectedBy: [],
  reportedBy: [],
  ejections: 0,
  requests: 0,
  errors: 0,
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * One endpoint's cell from the control plane's answer. Pure. Rows are matched by proxy id (the
 * registry endpoint id is the proxy id); a proxy the control plane did not list (e.g. gone) is
 * not reported.
 */
export function outlierCell(
  id: string,
  status: ServiceEndpointsStatusWire,
  unreachableCallers: string[],
): OutlierCell {
  const e = status.endpoints.find((x) => x.id === id);
  if (!e) return { ...OUTLIER_NOT_REPORTED, title: 'Not in the registry the control plane serves now.' };
  const state: OutlierState = STATES.includes(e.state) ? (e.state as OutlierState) : 'unknown';
  const reports = e.reports;
  const sum = (f: (r: (typeof reports)[number]) => number) => reports.reduce((a, r) => a + f(r), 0);
  const cell = {
    ejectedBy: e.ejectedBy,
    reportedBy: [...new Set(reports.map((r) => r.workload))].sort(),
    ejections: sum((r) => r.ejections),
    requests: sum((r) => r.totalRequests),
    errors: sum((r) => r.errors),
  };
  const gone =
    unreachableCallers.length > 0
      ? ` ${plural(unreachableCallers.length, 'sidecar')} could not be asked (${unreachableCallers.join(', ')}).`
      : '';
  switch (state) {
    case 'ejected':
      return {
        state,
        ...cell,
        text: `Ejected by ${e.ejectedBy.join(', ')}`,
        badge: 'Ejected',
        detail: `by ${e.ejectedBy.join(', ')}`,
        title: `Outlier detection in ${e.ejectedBy.join(', ')} took it out of load balancing (${plural(cell.ejections, 'ejection')}, ${plural(cell.errors, 'error')} of ${cell.requests} requests seen by its callers).${gone}`,
      };
    case 'healthy':
      return {
        state,
        ...cell,
        text: 'Healthy',
        badge: 'Healthy',
        detail: null,
        title: `Held healthy by ${cell.reportedBy.join(', ')} (${plural(cell.requests, 'request')}, ${plural(cell.errors, 'error')}; ${plural(cell.ejections, 'ejection')} so far).${gone}`,
      };
    case 'unknown':
      return {
        state,
        ...cell,
        text: 'Unknown: caller unreachable',
        badge: 'Unknown',
        detail: 'caller unreachable',
        title: `No caller that answered holds this endpoint.${gone}`,
      };
    case 'not-reported':
      return {
        state,
        ...cell,
        text: 'Not reported',
        badge: 'Not reported',
        detail: null,
        title: `No sidecar has a cluster for ${status.hostname}: nothing calls it through the mesh, so nothing can eject it.`,
      };
  }
}

function failureText(f: { kind: string; message?: string | undefined }): string {
  if (f.kind === 'no-admin-address') return 'it reports no admin address (an older proxy)';
  return f.message ?? f.kind;
}

/** Adds the callers' view to each row, and lists the callers. Pure. */
export function withOutlier(
  rows: Omit<EndpointRow, 'outlier'>[],
  status: ServiceEndpointsStatusWire | null,
): { endpoints: EndpointRow[]; callers: OutlierCaller[] } {
  if (!status) return { endpoints: rows.map((r) => ({ ...r, outlier: OUTLIER_NOT_REPORTED })), callers: [] };
  const callers: OutlierCaller[] = status.callers.map((c) => ({
    proxy: c.proxy,
    workload: c.workload,
    namespace: c.namespace,
    status: c.status,
    detail:
      c.status === 'reported'
        ? c.clusters.join(', ')
        : `${failureText(c.failure)}${c.connected ? '' : ' (disconnected from the control plane)'}`,
  }));
  const unreachable = callers.filter((c) => c.status === 'unreachable').map((c) => c.workload);
  return { endpoints: rows.map((r) => ({ ...r, outlier: outlierCell(r.id, status, unreachable) })), callers };
}
