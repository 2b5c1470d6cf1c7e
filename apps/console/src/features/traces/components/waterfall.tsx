'use client';

import type { TraceDetailView, WaterfallRow } from '../types';
import { formatSpanMs } from './trace-time';
import styles from './traces.module.css';

/** Indentation per nesting level, in px. */
const INDENT = 16;
/** A bar narrower than this (percent) could not be seen or clicked; duration text still tells the truth. */
const MIN_BAR_PCT = 0.4;

function RowTags({ row }: { row: WaterfallRow }) {
  return (
    <>
      <span className={styles.tag} title={`span kind ${row.kind}`}>
        {row.kind}
      </span>
      {row.retryAttempt !== null ? (
        <span className={`${styles.tag} ${styles.tagRetry}`} data-testid="span-retry">
          try {row.retryAttempt}
        </span>
      ) : null}
      {row.responseFlags.map((f) => (
        <span
          key={f}
          className={`${styles.tag} ${styles.tagFlag}`}
          data-testid="span-flag"
          title="Envoy response flag"
        >
          {f}
        </span>
      ))}
      {row.httpStatus ? (
        <span className={row.error ? `${styles.tag} ${styles.tagFlag}` : styles.tag}>{row.httpStatus}</span>
      ) : null}
      {row.error ? (
        <span
          className={`${styles.tag} ${styles.tagError}`}
          data-testid="span-error-mark"
          title={row.statusMessage ?? 'error'}
        >
          error
        </span>
      ) : null}
      {row.orphan ? (
        <span
          className={styles.tag}
          title="Its parent span is not in the trace (not exported yet, or evicted)"
        >
          no parent
        </span>
      ) : null}
    </>
  );
}

export function Waterfall({
  view,
  colors,
  selected,
  onSelect,
}: {
  view: TraceDetailView;
  colors: Map<string, string>;
  selected: string | null;
  onSelect: (spanId: string) => void;
}) {
  return (
    <div className={styles.waterfall} data-testid="waterfall" role="tree" aria-label="Spans">
      <div className={styles.wfHeader}>
        <span className={styles.wfHeaderName}>Service and operation</span>
        <div className={styles.ticks} data-testid="waterfall-ticks">
          {view.ticks.map((t) => (
            <span key={t.pct} className={styles.tick} style={{ left: `${t.pct}%` }}>
              {t.label}
            </span>
          ))}
        </div>
      </div>
      {view.rows.map((row) => {
        const color = colors.get(row.service) ?? '#7a8ba6';
        const width = Math.max(row.widthPct, MIN_BAR_PCT);
        const left = Math.min(row.offsetPct, 100 - width);
        // The duration goes beside the bar on whichever side has room, else inside it.
        const labelStyle: React.CSSProperties =
          left + width <= 80
            ? { left: `calc(${left + width}% + 6px)` }
            : left >= 20
              ? { right: `calc(${100 - left}% + 6px)` }
              : { right: `calc(${100 - left - width}% + 6px)`, color: '#fff', fontWeight: 600 };
        const classes = [styles.wfRow];
        if (row.error) classes.push(styles.wfRowError);
        if (row.spanId === selected) classes.push(styles.wfRowSelected);
        return (
          <button
            type="button"
            role="treeitem"
            aria-level={row.depth + 1}
            aria-selected={row.spanId === selected}
            key={row.spanId}
            className={classes.join(' ')}
            onClick={() => onSelect(row.spanId)}
            data-testid="span-row"
            data-span-id={row.spanId}
            data-parent-id={row.parentSpanId ?? ''}
            data-depth={row.depth}
            data-service={row.service}
            data-error={row.error ? 'true' : 'false'}
            data-flags={row.responseFlags.join(',')}
          >
            <span className={styles.wfName} style={{ paddingLeft: 12 + row.depth * INDENT }}>
              <span className={styles.dot} style={{ background: color }} aria-hidden="true" />
              <span className={styles.wfText}>
                <span className={styles.wfLine}>
                  <span className={styles.wfService} data-testid="span-service">
                    {row.service}
                  </span>
                  <RowTags row={row} />
                </span>
                <span className={styles.wfOp} data-testid="span-name" title={row.name}>
                  {row.name}
                </span>
              </span>
            </span>
            <span className={styles.track}>
              <span
                className={row.error ? `${styles.bar} ${styles.barError}` : styles.bar}
                style={{ left: `${left}%`, width: `${width}%`, background: row.error ? '#e0524a' : color }}
                data-testid="span-bar"
                data-offset-pct={row.offsetPct}
                data-width-pct={row.widthPct}
              />
              <span className={styles.barLabel} style={labelStyle} data-testid="span-duration">
                {formatSpanMs(row.durationMs)}
              </span>
            </span>
          </button>
        );
      })}
    </div>
  );
}
