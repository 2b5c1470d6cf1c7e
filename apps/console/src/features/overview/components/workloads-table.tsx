import Link from 'next/link';
import { formatMs, formatPercent, formatRps } from '@/lib/format';
import type { WorkloadRow } from '../types';
import { SyncBadge } from './sync-badge';

/** Error rates above this are highlighted (fraction, 0–1). */
const ERROR_HIGHLIGHT = 0.05;

export function WorkloadsTable({ rows }: { rows: WorkloadRow[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="workloads-table">
        <thead>
          <tr>
            <th scope="col">Workload</th>
            <th scope="col">Namespace</th>
            <th scope="col">Version</th>
            <th scope="col">Sync</th>
            <th scope="col" className="num">
              Requests/s
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col" className="num">
              p99
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const errorRate = r.traffic?.errorRate ?? null;
            return (
              <tr
                key={r.id}
                data-testid="workload-row"
                data-workload={r.workload}
                data-namespace={r.namespace}
              >
                <td>
                  {/* The service page is keyed by the app label (Istio's canonical service), as the topology links it. */}
                  <Link
                    href={`/services/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.app ?? r.workload)}`}
                    className="workload-name"
                    data-testid="cell-workload"
                  >
                    {r.workload}
                  </Link>
                  {r.app && r.app !== r.workload ? <span className="workload-app">app {r.app}</span> : null}
                </td>
                <td>{r.namespace}</td>
                <td>{r.version ? <span className="version">{r.version}</span> : '—'}</td>
                <td>
                  <SyncBadge sync={r.sync} />
                </td>
                <td className="num" data-testid="cell-rps">
                  {r.traffic ? formatRps(r.traffic.rps) : '—'}
                </td>
                <td
                  className={errorRate !== null && errorRate > ERROR_HIGHLIGHT ? 'num cell-bad' : 'num'}
                  data-testid="cell-errors"
                >
                  {formatPercent(errorRate)}
                </td>
                <td className="num" data-testid="cell-p99">
                  {formatMs(r.traffic?.p99Ms ?? null)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
