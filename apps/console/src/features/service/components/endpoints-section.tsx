'use client';

import { ErrorDetails, ErrorState, LoadingState } from '@/components/states';
import { useServiceConfig } from '../api/get-service-config';
import { useServiceEndpoints } from '../api/get-service-endpoints';
import { utcDateTime } from '../time';
import type { EndpointRow, ProxySyncState } from '../types';
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

/**
 * Outlier detection runs inside each client's sidecar; the control plane's APIs report sync state
 * but not which endpoints a client has ejected, so the page says so instead of guessing.
 */
function OutlierNote({ namespace, name }: { namespace: string; name: string }) {
  const config = useServiceConfig(namespace, name);
  const configured = (config.data?.destinationRules ?? []).flatMap((dr) =>
    dr.outlierDetection.map((od) => ({ dr, ...od })),
  );
  return (
    <div className={styles.note} data-testid="outlier-note">
      <strong>Outlier ejection:</strong> not reported. The control plane does not expose which endpoints the
      clients’ sidecars have ejected yet; the table shows config sync only.
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
        <> No DestinationRule turns outlier detection on for this service.</>
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
        <table className="table" data-testid="endpoints-table">
          <thead>
            <tr>
              <th scope="col">Proxy</th>
              <th scope="col">Workload</th>
              <th scope="col">Version</th>
              <th scope="col">Sync</th>
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
                  {r.lastError ? <div className={styles.errorText}>{r.lastError}</div> : null}
                </td>
                <td>
                  {r.workload}
                  {r.matchedBy === 'telemetry' ? (
                    <span className="workload-app" title="No app label; telemetry saw it serve this service">
                      by telemetry
                    </span>
                  ) : null}
                </td>
                <td>{r.version ? <span className="version">{r.version}</span> : '—'}</td>
                <td data-testid="cell-sync">
                  <SyncState row={r} />
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
      <OutlierNote namespace={namespace} name={name} />
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
