import Link from 'next/link';
import type { ProxySummary, ProxySyncState } from '../types';
import { filtersQuery, type ProxyFilters, summaryParts } from '../view-state';
import styles from './proxies.module.css';

const TONE: Record<ProxySyncState, string> = {
  SYNCED: styles.toneOk ?? '',
  STALE: styles.toneWarn ?? '',
  NACKED: styles.toneBad ?? '',
  DISCONNECTED: styles.toneBad ?? '',
  UNKNOWN: '',
};

/**
 * "7 proxies · 5 synced · 1 stale · 1 NACKed" for the chosen namespace; each count is a link
 * that filters the table to that state (the total clears the state filter).
 */
export function ProxiesSummary({
  summary,
  filters,
  pathname,
}: {
  summary: ProxySummary;
  filters: ProxyFilters;
  pathname: string;
}) {
  const parts = summaryParts(summary);
  return (
    <p className={styles.summary} data-testid="proxies-summary">
      {parts.map((p, i) => {
        const active = p.state === filters.state;
        const href = `${pathname}${filtersQuery({ ...filters, state: p.state })}`;
        const tone = p.state && p.count > 0 ? TONE[p.state] : '';
        return (
          <span key={p.state ?? 'total'}>
            {i > 0 ? <span className={styles.dot}> · </span> : null}
            <Link
              href={href}
              replace
              scroll={false}
              className={`${styles.summaryPart} ${tone} ${active ? styles.summaryActive : ''}`}
              aria-current={active ? 'true' : undefined}
              data-testid="summary-part"
              data-state={p.state ?? 'ALL'}
            >
              {p.text}
            </Link>
          </span>
        );
      })}
    </p>
  );
}
