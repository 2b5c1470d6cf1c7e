import type { TraceSummary } from '@trellis/shared/telemetry-api';
import Link from 'next/link';
import { formatSpanMs, utcDateTimeMs } from './trace-time';
import styles from './traces.module.css';

export function ResultsList({ traces }: { traces: TraceSummary[] }) {
  const longest = Math.max(...traces.map((t) => t.durationMs), 0);
  return (
    <ol className={styles.results} data-testid="trace-results">
      {traces.map((t) => (
        <li
          key={t.traceId}
          className={styles.result}
          data-testid="trace-result"
          data-trace-id={t.traceId}
          data-errors={t.errorCount}
        >
          <Link href={`/traces/${t.traceId}`} className={styles.resultLink}>
            <div style={{ minWidth: 0 }}>
              <div className={styles.resultTitle} data-testid="result-title" title={t.rootOperation}>
                {t.rootService} <span className={styles.resultOp}>{t.rootOperation}</span>
              </div>
              <div className={styles.resultMeta}>
                {utcDateTimeMs(t.startMs)} · {t.traceId.slice(0, 12)}…
              </div>
            </div>
            <div className={styles.chips}>
              {t.services.map((s) => (
                <span key={s.name} className={styles.chip}>
                  {s.name} ({s.spanCount})
                </span>
              ))}
            </div>
            <div className={styles.durationCell}>
              <span data-testid="result-duration">{formatSpanMs(t.durationMs)}</span>
              <span className={styles.durationTrack} aria-hidden="true">
                <span
                  className={
                    t.errorCount > 0
                      ? `${styles.durationFill} ${styles.durationFillError}`
                      : styles.durationFill
                  }
                  style={{ display: 'block', width: `${longest > 0 ? (t.durationMs / longest) * 100 : 0}%` }}
                />
              </span>
            </div>
            <div className={styles.countCell}>
              <div>{t.spanCount} spans</div>
              {t.errorCount > 0 ? (
                <span className="badge badge-bad" data-testid="result-errors">
                  {t.errorCount} {t.errorCount === 1 ? 'error' : 'errors'}
                </span>
              ) : null}
            </div>
          </Link>
        </li>
      ))}
    </ol>
  );
}
