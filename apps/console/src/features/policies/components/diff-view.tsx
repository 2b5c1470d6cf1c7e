import type { DiffView as DiffModel } from '../model/diff';

/** The rows of a line diff, `kubectl diff` style: old and new line numbers, − and + marks. */
export function DiffView({ view }: { view: DiffModel }) {
  if (view.identical)
    return (
      <p className="ps-muted" data-testid="diff-identical">
        No differences.
      </p>
    );
  return (
    <div className="ps-diff" data-testid="diff-view">
      {view.rows.map((row, i) =>
        row.type === 'skipped' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
          <div key={i} className="ps-diff-row ps-diff-skipped">
            ⋯ {row.count} unchanged line{row.count === 1 ? '' : 's'}
          </div>
        ) : (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
            key={i}
            className={`ps-diff-row ps-diff-${row.type}`}
            data-testid={row.type === 'same' ? undefined : `diff-${row.type}`}
          >
            <span className="ps-diff-num">{row.oldLine ?? ''}</span>
            <span className="ps-diff-num">{row.newLine ?? ''}</span>
            <span className="ps-diff-sign">
              {row.type === 'added' ? '+' : row.type === 'removed' ? '−' : ' '}
            </span>
            <span className="ps-diff-text">{row.text}</span>
          </div>
        ),
      )}
    </div>
  );
}
