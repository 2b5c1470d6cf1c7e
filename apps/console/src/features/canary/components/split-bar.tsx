/** One horizontal bar of shares (0–1) per destination, the same colours for set and observed. */
export const SPLIT_COLOURS = ['#2f6fed', '#e8871e', '#1a7f37', '#8b5cf6', '#c62828', '#0e7490'];

export function SplitBar({
  label,
  shares,
  names,
  testId,
}: {
  label: string;
  /** null: unknown (no telemetry or no traffic); the bar says so instead of drawing zeros. */
  shares: (number | null)[] | null;
  names: string[];
  testId: string;
}) {
  return (
    <div className="split-bar-row">
      <span className="split-bar-label">{label}</span>
      {shares === null ? (
        <span className="split-bar split-bar-empty" data-testid={testId}>
          no traffic observed
        </span>
      ) : (
        <span className="split-bar" data-testid={testId}>
          {shares.map((s, i) => {
            const pct = Math.round((s ?? 0) * 100);
            return pct > 0 ? (
              <span
                key={names[i] ?? i}
                className="split-bar-part"
                style={{ width: `${pct}%`, background: SPLIT_COLOURS[i % SPLIT_COLOURS.length] }}
                title={`${names[i]}: ${pct}%`}
              >
                {pct >= 8 ? `${pct}%` : ''}
              </span>
            ) : null;
          })}
        </span>
      )}
    </div>
  );
}
