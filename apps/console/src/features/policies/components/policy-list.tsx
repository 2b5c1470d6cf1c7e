'use client';

import { ErrorState, LoadingState } from '@/components/states';
import { usePolicyList } from '../api/policies';
import { type PolicyRef, sameRef } from '../model/ref';

/** The stored policies for the kind/namespace filter; a click opens one into the editor. */
export function PolicyList({
  kind,
  namespace,
  openRef,
  onOpen,
}: {
  kind: string | null;
  namespace: string | null;
  openRef: PolicyRef | null;
  onOpen: (ref: PolicyRef) => void;
}) {
  const query = usePolicyList({ kind, namespace });
  if (query.isPending) return <LoadingState label="Loading policies…" />;
  if (query.isError && !query.data)
    return (
      <ErrorState title="Cannot list policies" error={query.error} onRetry={() => void query.refetch()} />
    );
  const data = query.data;
  return (
    <div className="ps-list" data-testid="policy-list">
      {data.failures.map((f) => (
        <div key={f.kind} className="banner banner-warn" role="status">
          {f.kind}: {f.error.message}
        </div>
      ))}
      {data.items.length === 0 ? (
        <p className="ps-muted ps-list-empty" data-testid="policy-list-empty">
          No policies here yet. Start from a template with “New”.
        </p>
      ) : (
        <ul>
          {data.items.map((p) => {
            const active = sameRef(p, openRef);
            return (
              <li key={`${p.kind}/${p.namespace}/${p.name}`}>
                <button
                  type="button"
                  className={active ? 'ps-list-item ps-list-item-active' : 'ps-list-item'}
                  onClick={() => onOpen({ kind: p.kind, namespace: p.namespace, name: p.name })}
                  data-testid="policy-item"
                  data-kind={p.kind}
                  data-namespace={p.namespace}
                  data-name={p.name}
                  aria-current={active ? 'true' : undefined}
                >
                  <span className="ps-list-name">{p.name}</span>
                  <span className="ps-list-kind">
                    {p.kind} · {p.namespace}
                  </span>
                  <span className="ps-list-summary">{p.summary}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
