'use client';

import Link from 'next/link';
import { Fragment, useState } from 'react';
import type { CertCell, ProxyRow, TimeView } from '../types';
import styles from './proxies.module.css';
import { ProxySyncBadge } from './sync-badge';

const COLUMNS = 9;

function Time({ time, none }: { time: TimeView | null; none: string }) {
  if (!time) return <span className={styles.muted}>{none}</span>;
  return (
    <time dateTime={time.iso} title={time.utc}>
      {time.ago}
    </time>
  );
}

/** What the proxy serves, and what it was sent when that differs (a push in flight, or refused). */
function ConfigVersions({ row }: { row: ProxyRow }) {
  if (row.ackedVersion === null && row.sentVersion === null) return <span className={styles.muted}>—</span>;
  return (
    <>
      {row.ackedVersion === null ? (
        <span className={styles.muted} title="No config ACKed yet">
          none
        </span>
      ) : (
        <code title="The version it ACKed, i.e. serves" data-testid="config-acked">
          {row.ackedVersion}
        </code>
      )}
      {row.behind ? (
        <span className={styles.sent} title="The version last sent to it">
          {' '}
          sent <code data-testid="config-sent">{row.sentVersion}</code>
        </span>
      ) : null}
    </>
  );
}

function Workload({ row }: { row: ProxyRow }) {
  const [first, ...more] = row.services;
  return (
    <>
      {first ? (
        <Link
          href={first.href}
          className="workload-name"
          data-testid="cell-workload"
          title={`Service page of ${first.name}.${row.namespace}`}
        >
          {row.workload}
        </Link>
      ) : (
        <span className="workload-name" data-testid="cell-workload" title="It reports no service it serves">
          {row.workload}
        </span>
      )}
      {more.length > 0 ? (
        <span className={styles.alsoServes}>
          also{' '}
          {more.map((s, i) => (
            <Fragment key={s.name}>
              {i > 0 ? ', ' : null}
              <Link href={s.href} data-testid="service-link">
                {s.name}
              </Link>
            </Fragment>
          ))}
        </span>
      ) : null}
      <div className={styles.proxyId} data-testid="cell-proxy-id">
        {row.id}
      </div>
    </>
  );
}

/**
 * A SPIFFE id in pieces that wrap only after a slash ("spiffe://cluster.local/" · "ns/default/sa/" ·
 * "bookinfo-productpage"), so a narrow column never splits a name at its hyphen.
 */
function Spiffe({ id }: { id: string }) {
  const parts = id.match(/[^/]*\/+|[^/]+$/g) ?? [id];
  return (
    <>
      {parts.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, never reordered
        <span key={i} className={styles.spiffePart}>
          {p}
        </span>
      ))}
    </>
  );
}

function Certificate({ cell }: { cell: CertCell }) {
  return (
    <>
      <span className={`badge badge-${cell.tone}`} title={cell.title} data-testid="cert-expiry">
        {cell.text}
      </span>
      {cell.spiffeId ? (
        <div className={styles.spiffe} data-testid="cert-spiffe" title={cell.notAfter?.utc}>
          <Spiffe id={cell.spiffeId} />
        </div>
      ) : null}
    </>
  );
}

/**
 * One row per proxy, as `istioctl proxy-status` lists them, worst first. A proxy that sent a NACK
 * opens a row below with the error it sent, as it sent it (it can be long and multi-line).
 */
export function ProxiesTable({ rows }: { rows: ProxyRow[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="table-wrap">
      <table className={`table ${styles.compact}`} data-testid="proxies-table">
        <thead>
          <tr>
            <th scope="col">Workload</th>
            <th scope="col">Namespace</th>
            <th scope="col">Version</th>
            <th scope="col">Sync</th>
            <th scope="col">Config</th>
            <th scope="col">Last ACK</th>
            <th scope="col">Connected</th>
            <th scope="col">Certificate</th>
            <th scope="col">Proxy</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const expanded = open.has(r.id);
            const errorId = `proxy-error-${r.id}`;
            return (
              <Fragment key={r.id}>
                <tr
                  data-testid="proxy-row"
                  data-proxy={r.id}
                  data-workload={r.workload}
                  data-namespace={r.namespace}
                  data-state={r.state}
                  className={expanded ? styles.expandedRow : undefined}
                >
                  <td>
                    <Workload row={r} />
                  </td>
                  <td data-testid="cell-namespace">{r.namespace}</td>
                  <td data-testid="cell-version">
                    {r.version ? <span className="version">{r.version}</span> : '—'}
                  </td>
                  <td data-testid="cell-sync">
                    <ProxySyncBadge state={r.state} />
                    {r.lastError ? (
                      <button
                        type="button"
                        className={styles.errorToggle}
                        aria-expanded={expanded}
                        aria-controls={errorId}
                        onClick={() => toggle(r.id)}
                        data-testid="error-toggle"
                      >
                        {expanded ? 'Hide error' : 'Show error'}
                      </button>
                    ) : null}
                  </td>
                  <td data-testid="cell-config">
                    <ConfigVersions row={r} />
                  </td>
                  <td data-testid="cell-last-ack">
                    <Time time={r.lastAck} none="never" />
                  </td>
                  <td data-testid="cell-connected">
                    {r.disconnectedAt ? (
                      <span className={styles.gone}>
                        gone <Time time={r.disconnectedAt} none="" />
                      </span>
                    ) : (
                      <Time time={r.connectedAt} none="—" />
                    )}
                  </td>
                  <td data-testid="cell-cert" data-cert={r.cert.state}>
                    <Certificate cell={r.cert} />
                  </td>
                  <td data-testid="cell-proxy-version">
                    {r.proxyVersion ? (
                      <code title={r.pushes === null ? undefined : `${r.pushes} configs sent on this stream`}>
                        {r.proxyVersion}
                      </code>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
                {r.lastError && expanded ? (
                  <tr className={styles.errorRow} data-testid="proxy-error-row" data-proxy={r.id}>
                    <td colSpan={COLUMNS} id={errorId}>
                      <div className={styles.errorLabel}>
                        {r.state === 'NACKED' ? (
                          <>
                            The proxy refused config version <code>{r.sentVersion ?? '?'}</code> and keeps
                            serving <code>{r.ackedVersion ?? 'none'}</code>. It said:
                          </>
                        ) : (
                          <>Its last NACK (a newer config was sent since). It said:</>
                        )}
                      </div>
                      <pre className={styles.errorText} data-testid="proxy-error">
                        {r.lastError}
                      </pre>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
