'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { ApiError } from '@/lib/errors';
import { useTrace } from '../api/get-trace';
import { normaliseTraceId } from '../search-params';
import { serviceColors } from './service-colors';
import { SpanDetails } from './span-details';
import { formatSpanMs, utcDateTimeMs } from './trace-time';
import styles from './traces.module.css';
import { Waterfall } from './waterfall';

/** The selected span is view state (?span=ID): a link can point at one span of a trace. */
function useSelectedSpan(): [string | null, (id: string) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const select = (id: string) => {
    const next = new URLSearchParams(params.toString());
    next.set('span', id);
    router.replace(`${pathname}?${next.toString()}`, { scroll: false });
  };
  return [params.get('span'), select];
}

export function TracePage({ traceId }: { traceId: string }) {
  const query = useTrace(traceId);
  const [selected, select] = useSelectedSpan();
  const back = (
    <p className="page-lead">
      <Link href="/traces">Traces</Link> / <code>{traceId}</code>
    </p>
  );

  if (query.isPending)
    return (
      <section className="page">
        {back}
        <LoadingState label="Loading the trace…" />
      </section>
    );
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.httpStatus === 404;
    return (
      <section className="page">
        {back}
        {notFound ? (
          <EmptyState title="Trace not found">
            <p>
              {normaliseTraceId(traceId) === null ? (
                <>
                  <code>{traceId}</code> is not a trace id (32 hex digits).{' '}
                </>
              ) : null}
              The control plane holds no span of <code>{traceId}</code>. Traces are kept for 30 minutes (
              <code>TRELLIS_TRACES_MAX_AGE</code>) and the oldest go first when the store is full; a trace
              that is still running may not be exported yet.
            </p>
            <p>
              <Link href="/traces">Search traces</Link>
            </p>
          </EmptyState>
        ) : (
          <ErrorState
            title="Cannot load the trace"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        )}
      </section>
    );
  }

  const view = query.data;
  const s = view.summary;
  const colors = serviceColors(view.rows.map((r) => r.service));
  const row = view.rows.find((r) => r.spanId === selected) ?? null;
  return (
    <section className="page" data-testid="trace-page">
      <header className="page-header">
        <div>
          {back}
          <h1>{s.rootService}</h1>
          <p className="page-lead" data-testid="trace-operation">
            {s.rootOperation}
          </p>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => void query.refetch()}
          data-testid="trace-reload"
        >
          Reload
        </button>
      </header>
      <dl className={styles.facts} data-testid="trace-facts">
        <div>
          <dt>Started</dt>
          <dd>{utcDateTimeMs(s.startMs)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd data-testid="trace-duration">{formatSpanMs(view.durationMs)}</dd>
        </div>
        <div>
          <dt>Spans</dt>
          <dd data-testid="trace-span-count">{view.rows.length}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd data-testid="trace-error-count" style={s.errorCount > 0 ? { color: 'var(--bad)' } : undefined}>
            {s.errorCount}
          </dd>
        </div>
        <div>
          <dt>Services</dt>
          <dd>{s.services.map((x) => x.name).join(', ')}</dd>
        </div>
      </dl>
      <Waterfall view={view} colors={colors} selected={row?.spanId ?? null} onSelect={select} />
      {row ? (
        <SpanDetails row={row} />
      ) : (
        <p className={styles.hint} data-testid="span-hint">
          Click a span to see its attributes (HTTP status, response flags, peer, retry attempt).
        </p>
      )}
    </section>
  );
}
