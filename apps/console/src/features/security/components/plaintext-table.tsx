import { formatPercent, formatRps } from '@/lib/format';
import type { PlaintextClient } from '../types';

export function PlaintextTable({ clients }: { clients: PlaintextClient[] }) {
  return (
    <div className="table-wrap plaintext-table">
      <table className="table" data-testid="plaintext-clients">
        <thead>
          <tr>
            <th>Source</th>
            <th>To workload</th>
            <th>Service</th>
            <th className="num">Requests/s</th>
            <th className="num">Plaintext</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((c) => (
            <tr
              key={`${c.sourceId}>${c.target}>${c.destinationService}`}
              data-testid="plaintext-client"
              data-source={c.source}
            >
              <td>
                <span className="workload-name">{c.source}</span>
                {c.unmeshed ? <span className="workload-app">outside the mesh (no sidecar)</span> : null}
              </td>
              <td>{c.target}</td>
              <td>
                <code>{c.destinationService}</code>
              </td>
              <td className="num">{formatRps(c.rps)}</td>
              <td className="num">
                {c.plaintextShare === null ? 'unknown' : formatPercent(c.plaintextShare)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
