'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { RefreshIndicator } from './refresh-indicator';
import { ErrorState, LoadingState } from './states';

/**
 * A page fed by one polling query: its header with the refresh indicator, the loading state, the
 * error state when nothing was ever loaded, and, once something was, the last good data under a
 * "stale" banner when a later refresh fails (never an empty page because one poll failed).
 */
export function LivePage<T>({
  title,
  lead,
  className = 'page',
  query,
  everyMs,
  loadingLabel,
  errorTitle,
  children,
}: {
  title: string;
  lead: ReactNode;
  className?: string;
  query: UseQueryResult<T, Error>;
  everyMs: number;
  loadingLabel: string;
  errorTitle: string;
  children: (data: T) => ReactNode;
}) {
  const header = (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        <p className="page-lead">{lead}</p>
      </div>
      {query.data ? (
        <RefreshIndicator updatedAt={query.dataUpdatedAt} fetching={query.isFetching} everyMs={everyMs} />
      ) : null}
    </header>
  );
  if (query.isPending)
    return (
      <section className={className}>
        {header}
        <LoadingState label={loadingLabel} />
      </section>
    );
  if (query.isError && query.data === undefined)
    return (
      <section className={className}>
        {header}
        <ErrorState title={errorTitle} error={query.error} onRetry={() => void query.refetch()} />
      </section>
    );
  return (
    <section className={className}>
      {header}
      {query.isError ? (
        <div className="banner banner-warn" role="status" data-testid="stale-banner">
          Showing the last good data: the latest refresh failed ({query.error.message}).
        </div>
      ) : null}
      {children(query.data as T)}
    </section>
  );
}
