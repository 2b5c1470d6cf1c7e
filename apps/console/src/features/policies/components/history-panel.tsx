'use client';

import { ErrorState, LoadingState } from '@/components/states';
import { type HistoryFilter, useHistory } from '../api/history';
import type { HistoryItem } from '../types';

const VERBS: Record<HistoryItem['verb'], string> = {
  create: 'created',
  update: 'updated',
  patch: 'patched',
  apply: 'applied',
  delete: 'deleted',
};

function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** The audit log of the open object (or of the filtered kinds and namespace), newest first. */
export function HistoryPanel({
  filter,
  canWrite,
  busy,
  onShow,
  onRevert,
}: {
  filter: HistoryFilter;
  canWrite: boolean;
  busy: boolean;
  onShow: (item: HistoryItem) => void;
  onRevert: (item: HistoryItem) => void;
}) {
  const query = useHistory(filter);
  const one = filter.name !== null;
  const scope = one ? `${filter.kind} ${filter.namespace}/${filter.name}` : 'these policies';
  return (
    <section className="panel ps-history" data-testid="history-panel" aria-label="History">
      <h2 className="ps-section-title">History of {scope}</h2>
      {query.isPending ? (
        <LoadingState label="Loading history…" />
      ) : query.isError && !query.data ? (
        <ErrorState
          title="Cannot load the history"
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : query.data.items.length === 0 ? (
        <p className="ps-muted" data-testid="history-empty">
          No changes recorded yet.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table ps-history-table">
            <thead>
              <tr>
                <th>Version</th>
                <th>Time</th>
                <th>Who</th>
                <th>Change</th>
                {one ? null : <th>Object</th>}
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {query.data.items.map((item) => (
                <tr
                  key={item.resourceVersion}
                  data-testid="history-row"
                  data-rv={item.resourceVersion}
                  data-actor={item.actor}
                  data-verb={item.verb}
                >
                  <td className="num">{item.resourceVersion}</td>
                  <td title={item.time}>{formatTime(item.time)}</td>
                  <td data-testid="history-actor">{item.actor}</td>
                  <td>{VERBS[item.verb]}</td>
                  {one ? null : (
                    <td className="ps-history-object">
                      {item.ref.kind} {item.ref.namespace}/{item.ref.name}
                    </td>
                  )}
                  <td>
                    <div className="ps-history-actions">
                      <button
                        type="button"
                        className="button"
                        onClick={() => onShow(item)}
                        data-testid="history-show"
                      >
                        Changes
                      </button>
                      <button
                        type="button"
                        className="button"
                        disabled={!canWrite || busy}
                        title={
                          canWrite ? 'Put the object back as it was before this change' : 'Operators only'
                        }
                        onClick={() => onRevert(item)}
                        data-testid="history-revert"
                      >
                        Revert
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
