'use client';

import { useEffect, useState } from 'react';

/** "Updated 3 s ago", computed in the browser only, so server and client render the same HTML. */
export function RefreshIndicator({
  updatedAt,
  fetching,
  everyMs,
}: {
  updatedAt: number;
  fetching: boolean;
  everyMs: number;
}) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const age = now === null || updatedAt === 0 ? null : Math.max(0, Math.round((now - updatedAt) / 1000));
  return (
    <span className="refresh" data-testid="refresh-indicator">
      <span className={fetching ? 'refresh-dot refresh-dot-busy' : 'refresh-dot'} aria-hidden="true" />
      {age === null ? 'Live' : `Updated ${age} s ago`} · every {everyMs / 1000} s
    </span>
  );
}
