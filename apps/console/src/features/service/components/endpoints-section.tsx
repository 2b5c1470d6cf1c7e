'use client';

import { ErrorDetails, ErrorState, LoadingState } from '@/components/states';
import { useServiceConfig } from '../api/get-service-config';
import { useServiceEndpoints } from '../api/get-service-endpoints';
import { utcDateTime } from '../time';
import type {
  EndpointRow,
  OutlierCaller,
  OutlierCell,
  OutlierState,
  ProxySyncState,
  SourceStatus,
} from '../types';
import styles from './service.module.css';

const SYNC: Record<ProxySyncState, { text: string; tone: string; hint: string }> = {
  SYNCED: { text: 'Synced', tone: 'ok', hint: 'The proxy ACKed the latest config.' },
  STALE: { text: 'Stale', tone: 'warn', hint: 'Config was sent but not yet ACKed.' },
  NACKED: {
    text: 'NACKed',
    tone: 'bad',
    hint: 'The proxy rejected the latest config and keeps its last good one.',
  },
  DISCONNECTED: { text: 'Disconnected', tone: 'bad', hint: 'No stream to the control plane.' },
  UNKNOWN: { text: 'Unknown', tone: 'muted', hint: 'A state this console does not know.' },
};

function SyncState({ row }: { row: EndpointRow }) {
  const s = SYNC[row.state];
  const sent = row.sentVersion && row.sentVersion !== row.configVersion ? ` Sent ${row.sentVersion}.` : '';
  return (
    <span className={`badge badge-${s.tone}`} title={`${s.hint}${sent}`} data-state={row.state}>
      {s.text}
    </span>
  );
}

const OUTLIER_TONE: Record<OutlierState, string> = {
  ejected: 'bad',
  healthy: 'ok',
  unknown: 'warn',
  'not-reported': 'muted',
};

function OutlierBadge({ cell }: { cell: OutlierCell }) {
  return (
    <span title={cell.title} data-outlier={cell.state}>
      <span className={`badge badge-${OUTLIER_TONE[cell.state]}`}>{cell.badge}</span>
      {cell.detail ? (
        <>
          {' '}
          <span className={styles.outlierDetail}>{cell.detail}</span>
        </>
      ) : null}
    </span>
  );
}

/**
 * Outlier detection runs inside each caller's sidecar, so the endpoints' ejection state is what the
 * callers say: the control plane reads each sidecar's admin /clusters (docs/api.md). The note lists
 * the callers it read (and those it could not), and the DestinationRule settings that turn it on.
 */
function OutlierNote({
  namespace,
  name,
  callers,
  source,
}: {
  namespace: string;
  name: string;
  callers: OutlierCaller[] | null;
  source: SourceStatus | null;
}) {
  const config = useServiceConfig(namespace, name);
  const configured = (config.data?.destinationRules ?? []).flatMap((dr) =>
    dr.outlierDetection.map((od) => ({ dr, ...od })),
  );
  const reported = (callers ?? []).filter((c) => c.status === 'reported');
  const unreachable = (callers ?? []).filter((c) => c.status === 'unreachable');
  return (
    <div className={styles.note} data-testid="outlier-note">
      <strong>Outlier ejection</strong> as the callers’ sidecars report it.{' '}
      {source && !source.ok ? (
        <span data-testid="outlier-unavailable">
          Not reported: the control plane did not answer which endpoints its sidecars have ejected (
          <code>{source.error.code}</code>).
        </span>
      ) : callers ? (
        <span data-testid="outlier-callers">
          {reported.length === 0 ? (
            <>No sidecar holds a cluster for {name}.</>
          ) : (
            <>
              Callers:{' '}
              {reported.map((c, i) => (
                <span key={c.proxy} data-testid="outlier-caller" data-proxy={c.proxy} data-status={c.status}>
                  {i > 0 ? ', ' : null}
                  <span title={c.detail}>{c.workload}</span>
                </span>
              ))}
              .
            </>
          )}
          {unreachable.length > 0 ? (
            <span className={styles.unreachable}>
              {' '}
              Could not ask:{' '}
              {unreachable.map((c, i) => (
                <span key={c.proxy} data-testid="outlier-caller" data-proxy={c.proxy} data-status={c.status}>
                  {i > 0 ? ', ' : null}
                  <strong>{c.workload}</strong> unreachable{' '}
                  <span className={styles.detail}>({c.detail})</span>
                </span>
              ))}
              .
            </span>
          ) : null}
        </span>
      ) : null}
      {configured.length > 0 ? (
        <ul>
          {configured.map((c) => (
            <li key={`${c.dr.namespace}/${c.dr.name}/${c.scope}`}>
              Configured by DestinationRule <code>{c.dr.name}</code> ({c.scope}):{' '}
              {Object.entries(c.settings)
                .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
                .join(', ')}
            </li>
          ))}
        </ul>
      ) : config.data ? (
        <> No DestinationRule turns outlier detection on for this service, so no caller ejects.</>
      ) : null}
    </div>
  );
}

export function EndpointsSection({ namespace, name }: { namespace: string; name: string }) {
  const query = useServiceEndpoints(namespace, name);
  const data = query.data;
  let body: React.ReactNode;
  if (query.isPending) body = <LoadingState label="Loading the service's proxies…" />;
  else if (query.isError && !data)
    body = (
      <ErrorState
        title="Cannot load the proxy list"
        error={query.error}
        onRetry={() => void query.refetch()}
      />
    );
  else if (data && data.endpoints.length === 0)
    body = (
      <div className={styles.emptyInline} data-testid="endpoints-empty">
        No proxy known to the control plane serves <code>{name}</code> in namespace <code>{namespace}</code>{' '}
        (none lists it with <code>--service</code> or carries <code>app={name}</code>).
      </div>
    );
  else if (data)
    body = (
      <div className="table-wrap">
        <table className={`table ${styles.compact}`} data-testid="endpoints-table">
          <thead>
            <tr>
              <th scope="col">Proxy</th>
              <th scope="col">Version</th>
              <th scope="col">Sync</th>
              <th scope="col">Outlier ejection</th>
              <th scope="col">Config version</th>
              <th scope="col">Last ACK</th>
              <th scope="col">Connected since</th>
            </tr>
          </thead>
          <tbody>
            {data.endpoints.map((r) => (
              <tr key={r.id} data-testid="endpoint-row" data-proxy={r.id} data-workload={r.workload}>
                <td>
                  <span className="workload-name">{r.id}</span>
                  {/* The workload under its proxy, as on the proxies page: one column fewer to scroll. */}
                  <div className={styles.workloadLine} data-testid="cell-workload">
                    {r.workload}
                    {r.matchedBy === 'telemetry' ? (
                      <span
                        className="workload-app"
                        title="No app label; telemetry saw it serve this service"
                      >
                        by telemetry
                      </span>
                    ) : null}
                  </div>
                  {r.lastError ? <div className={styles.errorText}>{r.lastError}</div> : null}
                </td>
                <td>{r.version ? <span className="version">{r.version}</span> : '—'}</td>
                <td data-testid="cell-sync">
                  <SyncState row={r} />
                </td>
                <td data-testid="cell-outlier">
                  <OutlierBadge cell={r.outlier} />
                </td>
                <td>
                  <code>{r.configVersion || '—'}</code>
                </td>
                <td>{utcDateTime(r.lastAckTime)}</td>
                <td>
                  {r.disconnectedAt ? `gone ${utcDateTime(r.disconnectedAt)}` : utcDateTime(r.connectedAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <section className={styles.section} aria-labelledby="endpoints-heading" data-testid="endpoints-section">
      <div className={styles.sectionHeader}>
        <h2 id="endpoints-heading">Endpoints</h2>
        {data ? (
          <span className={styles.sectionNote}>
            {data.endpoints.filter((e) => e.state !== 'DISCONNECTED').length} connected proxies
          </span>
        ) : null}
      </div>
      <OutlierNote
        namespace={namespace}
        name={name}
        callers={data ? data.callers : null}
        source={data ? data.sources.outlier : null}
      />
      {data && !data.sources.telemetry.ok ? (
        <details className="banner banner-warn" data-testid="endpoints-telemetry-banner">
          <summary>Telemetry unavailable: only proxies with the app label are listed.</summary>
          <ErrorDetails error={data.sources.telemetry.error} />
        </details>
      ) : null}
      {body}
    </section>
  );
}
