'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { SERVICE_RANGES, type ServiceRange } from '../range';
import styles from './service.module.css';

/** The range is view state: each choice is a link to the same page with ?range=, so it survives reloads. */
export function RangeSelector({ value }: { value: ServiceRange }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const hrefFor = (range: ServiceRange) => {
    const next = new URLSearchParams(params.toString());
    next.set('range', range);
    return `${pathname}?${next.toString()}`;
  };
  return (
    <nav className={styles.ranges} aria-label="Time range" data-testid="range-selector">
      {SERVICE_RANGES.map((r) => (
        <Link
          key={r}
          href={hrefFor(r)}
          replace
          scroll={false}
          className={r === value ? `${styles.range} ${styles.rangeActive}` : styles.range}
          aria-current={r === value ? 'true' : undefined}
          data-testid={`range-${r}`}
        >
          {r}
        </Link>
      ))}
    </nav>
  );
}
