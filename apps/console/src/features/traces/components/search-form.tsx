'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { LIMITS, LOOKBACKS, type Lookback, type TraceSearch, traceSearchQueryString } from '../search-params';
import type { TraceServicesView } from '../types';
import styles from './traces.module.css';

/**
 * Edits a draft of the search and writes it to the URL on submit; the results follow the URL.
 * The parent remounts it (key) when the URL changes, so back/forward reset the fields too.
 */
export function SearchForm({
  search,
  services,
}: {
  search: TraceSearch;
  services: TraceServicesView | undefined;
}) {
  const router = useRouter();
  const [draft, setDraft] = useState<TraceSearch>(search);
  const set = (patch: Partial<TraceSearch>) => setDraft((d) => ({ ...d, ...patch }));

  const known = services?.services ?? [];
  // Keep a service from the URL selectable even when the store no longer holds it.
  const names = [...new Set([...known.map((s) => s.name), ...(draft.service ? [draft.service] : [])])];
  const operations = draft.service
    ? (known.find((s) => s.name === draft.service)?.operations ?? [])
    : [...new Set(known.flatMap((s) => s.operations))].sort();
  const opOptions = [...new Set([...operations, ...(draft.operation ? [draft.operation] : [])])];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const qs = traceSearchQueryString(draft);
    router.push(qs ? `/traces?${qs}` : '/traces', { scroll: false });
  };

  return (
    <form
      className={styles.form}
      onSubmit={submit}
      data-testid="trace-search-form"
      aria-label="Search traces"
    >
      <label className={`${styles.field} ${styles.fieldWide}`}>
        Service
        <select
          value={draft.service ?? ''}
          onChange={(e) => set({ service: e.target.value || null, operation: null })}
          data-testid="filter-service"
        >
          <option value="">All services</option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className={`${styles.field} ${styles.fieldWide}`}>
        Operation
        <select
          value={draft.operation ?? ''}
          onChange={(e) => set({ operation: e.target.value || null })}
          data-testid="filter-operation"
        >
          <option value="">All operations</option>
          {opOptions.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        Min duration (ms)
        <input
          type="number"
          min={0}
          step="any"
          inputMode="decimal"
          placeholder="any"
          value={draft.minDurationMs ?? ''}
          onChange={(e) => {
            const n = Number(e.target.value);
            set({ minDurationMs: e.target.value !== '' && Number.isFinite(n) && n > 0 ? n : null });
          }}
          data-testid="filter-min-duration"
        />
      </label>
      <label className={styles.field}>
        Lookback
        <select
          value={draft.lookback}
          onChange={(e) => set({ lookback: e.target.value as Lookback })}
          data-testid="filter-lookback"
        >
          {LOOKBACKS.map((l) => (
            <option key={l} value={l}>
              last {l}
            </option>
          ))}
        </select>
      </label>
      <div className={styles.actions} />
      <label className={`${styles.field} ${styles.check}`}>
        <input
          type="checkbox"
          checked={draft.errorsOnly}
          onChange={(e) => set({ errorsOnly: e.target.checked })}
          data-testid="filter-errors"
        />
        Errors only
      </label>
      <label className={`${styles.field} ${styles.check}`}>
        Show
        <select
          value={draft.limit}
          onChange={(e) => set({ limit: Number(e.target.value) })}
          data-testid="filter-limit"
          style={{ width: 'auto' }}
        >
          {LIMITS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <div style={{ gridColumn: 'span 4' }} />
      <div className={styles.actions}>
        <button type="submit" className={`button ${styles.primary}`} data-testid="search-button">
          Search
        </button>
      </div>
    </form>
  );
}
