import { formatMs, formatPercent, formatRps } from '@/lib/format';
import { utcClock } from '../time';
import type { SeriesInfo, SummaryRow } from '../types';
import { seriesColor } from './series-colors';
import styles from './service.module.css';

/** Error rates above this are highlighted (fraction, 0–1), as on the overview. */
const ERROR_HIGHLIGHT = 0.05;

export function MetricsSummary({ rows, series }: { rows: SummaryRow[]; series: SeriesInfo[] }) {
  const latest = rows.find((r) => r.total)?.latestMs ?? null;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="metrics-summary">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col" className="num">
              Requests/s <span title="Mean over the range">(avg)</span>
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col" className="num" title="Latency of the latest step that carried traffic">
              p50
            </th>
            <th scope="col" className="num">
              p95
            </th>
            <th scope="col" className="num">
              p99{' '}
              {latest !== null ? <span title="Latest step with traffic">@ {utcClock(latest)}</span> : null}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.key} data-testid="summary-row" data-series={r.label}>
              <td>
                <span
                  className={r.total ? `${styles.swatch} ${styles.swatchTotal}` : styles.swatch}
                  style={
                    r.total
                      ? { borderColor: seriesColor(i, true) }
                      : {
                          background: seriesColor(
                            series.findIndex((s) => s.key === r.key),
                            false,
                          ),
                        }
                  }
                  aria-hidden="true"
                />
                {r.total ? <strong>All versions</strong> : <span className="version">{r.label}</span>}
              </td>
              <td className="num" data-testid="summary-rps">
                {formatRps(r.rps)}
              </td>
              <td
                className={r.errorRate !== null && r.errorRate > ERROR_HIGHLIGHT ? 'num cell-bad' : 'num'}
                data-testid="summary-errors"
              >
                {formatPercent(r.errorRate)}
              </td>
              <td className="num" data-testid="summary-p50">
                {formatMs(r.p50Ms)}
              </td>
              <td className="num" data-testid="summary-p95">
                {formatMs(r.p95Ms)}
              </td>
              <td className="num" data-testid="summary-p99">
                {formatMs(r.p99Ms)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
