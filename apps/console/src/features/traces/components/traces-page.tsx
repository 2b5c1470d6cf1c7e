'use client';

import { useSearchParams } from 'next/navigation';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useTraceServices } from '../api/get-trace-services';
import { useTraceSearch } from '../api/search-traces';
import { parseTraceSearch, traceSearchQueryString } from '../search-params';
import { ResultsList } from './results-list';
import { SearchForm } from './search-form';
import styles from './traces.module.css';

export function TracesPage() {
  const params = useSearchParams();
  const search = parseTraceSearch(params);
  const key = traceSearchQueryString(search);
  const services = useTraceServices();
  const query = useTraceSearch(search);
  const data = query.data;
  const filtered = key !== '' && key !== `lookback=${search.lookback}`;

  let body: React.ReactNode;
  if (query.isPending) body = <LoadingState label="Searching traces…" />;
  else if (query.isError && !data)
    body = (
      <ErrorState title="Cannot search traces" error={query.error} onRetry={() => void query.refetch()} />
    );
  else if (data && data.traces.length === 0)
    body = (
      <EmptyState
        title={filtered ? 'No trace matches these filters' : `No traces in the last ${search.lookback}`}
      >
        <p>
          Sidecars trace a share of requests (<code>TRELLIS_TRACING_SAMPLING</code>, 1 % by default) and the
          control plane keeps traces for 30 minutes. {filtered ? 'Loosen a filter or look further back.' : ''}
        </p>
      </EmptyState>
    );
  else if (data)
    body = (
      <>
        <div className={styles.resultsHead}>
          <span data-testid="result-count">
            {data.traces.length} {data.traces.length === 1 ? 'trace' : 'traces'}
            {data.truncated ? ` (the newest ${data.limit}; more match)` : ''}
          </span>
          <span>Newest first</span>
        </div>
        <ResultsList traces={data.traces} />
      </>
    );

  return (
    <section className="page" data-testid="traces-page">
      <header className="page-header">
        <div>
          <h1>Traces</h1>
          <p className="page-lead">
            Requests followed through every sidecar they crossed, from the control plane’s trace store.
          </p>
        </div>
      </header>
      <SearchForm key={key} search={search} services={services.data} />
      {services.isError ? (
        <div className="banner banner-warn" role="status" data-testid="services-banner">
          The list of traced services is unavailable ({services.error.message}); you can still search.
        </div>
      ) : null}
      {body}
    </section>
  );
}
