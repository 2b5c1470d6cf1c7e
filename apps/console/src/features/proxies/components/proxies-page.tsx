'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useRef } from 'react';
import { LivePage } from '@/components/live-page';
import { NamespaceSelect } from '@/components/namespace-select';
import { EmptyState } from '@/components/states';
import { PROXIES_REFRESH_MS, useProxies } from '../api/get-proxies';
import type { ProxiesView } from '../types';
import {
  filterProxies,
  filtersQuery,
  type ProxyFilters,
  parseProxyFilters,
  SYNC_STATES,
  summarise,
} from '../view-state';
import styles from './proxies.module.css';
import { ProxiesSummary } from './proxies-summary';
import { ProxiesTable } from './proxies-table';
import { STATE_LABEL } from './sync-badge';

/**
 * The filters are view state: they live in the URL (?namespace=&state=) and survive reloads and
 * links. A change is a patch on the last filters asked for, not on the last rendered URL: the
 * router writes the URL a moment later, and a second change in that moment must not undo the first.
 */
function useProxyFilters(): [ProxyFilters, (patch: Partial<ProxyFilters>) => void, string] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = parseProxyFilters((k) => params.get(k));
  const query = filtersQuery(filters);
  const asked = useRef({ query, filters });
  if (asked.current.query !== query) asked.current = { query, filters };
  const set = (patch: Partial<ProxyFilters>) => {
    const next = { ...asked.current.filters, ...patch };
    asked.current = { query: asked.current.query, filters: next };
    router.replace(`${pathname}${filtersQuery(next)}`, { scroll: false });
  };
  return [filters, set, pathname];
}

/**
 * Where the certificate column comes from, and what its red means; when the control plane did not
 * answer its certificates API the column reads "not reported" and the note says why.
 */
function CertificateNote({ certs }: { certs: ProxiesView['certs'] }) {
  return (
    <p className={styles.note} data-testid="cert-note" data-ok={certs.ok}>
      <strong>Mesh certificates</strong> as each sidecar reports them (the control plane reads its admin{' '}
      <code>/certs</code>). Red: expired, or under 10 % of its lifetime left (sidecars renew at half life).
      {certs.ok ? null : (
        <>
          {' '}
          Not reported now: the control plane’s certificates API answered <code>{certs.code}</code>
          {certs.detail ? ` (${certs.detail})` : ''}.
        </>
      )}
    </p>
  );
}

export function ProxiesPage() {
  const query = useProxies();
  const [filters, setFilters, pathname] = useProxyFilters();

  return (
    <LivePage
      title="Proxies"
      lead={
        <>
          Every sidecar connected to the control plane (or gone in the last 10 minutes) and the config it
          serves, like <code>istioctl proxy-status</code>.
        </>
      }
      query={query}
      everyMs={PROXIES_REFRESH_MS}
      loadingLabel="Loading proxies from the control plane…"
      errorTitle="Cannot load the proxy list"
    >
      {(data) => {
        const inNamespace = filterProxies(data.proxies, { namespace: filters.namespace, state: null });
        const rows = filterProxies(data.proxies, filters);
        const namespaces =
          filters.namespace && !data.namespaces.includes(filters.namespace)
            ? [...data.namespaces, filters.namespace].sort()
            : data.namespaces;
        return (
          <>
            {data.proxies.length === 0 ? (
              <EmptyState title="No proxies connected">
                <p>
                  No sidecar has connected to the control plane in the last 10 minutes. Start a workload with
                  its sidecar (<code>trellis proxy --control-plane HOST:GRPC_PORT …</code>) or run{' '}
                  <code>trellis demo</code> to bring up Bookinfo.
                </p>
              </EmptyState>
            ) : (
              <>
                <ProxiesSummary summary={summarise(inNamespace)} filters={filters} pathname={pathname} />
                <div className="toolbar">
                  <div className={styles.filters}>
                    <NamespaceSelect
                      value={filters.namespace}
                      namespaces={namespaces}
                      onChange={(ns) => setFilters({ namespace: ns })}
                    />
                    <label>
                      State{' '}
                      <select
                        value={filters.state ?? ''}
                        onChange={(e) =>
                          setFilters({ state: SYNC_STATES.find((s) => s === e.target.value) ?? null })
                        }
                        data-testid="state-filter"
                      >
                        <option value="">All states</option>
                        {SYNC_STATES.map((s) => (
                          <option key={s} value={s}>
                            {STATE_LABEL(s)}
                          </option>
                        ))}
                      </select>
                    </label>
                  </div>
                  <span className="toolbar-count" data-testid="proxy-count">
                    {rows.length} of {data.proxies.length} proxies
                  </span>
                </div>
                {rows.length === 0 ? (
                  <EmptyState title="No proxy matches these filters">
                    <p>
                      {filters.namespace ? (
                        <>
                          Namespace <code>{filters.namespace}</code>
                        </>
                      ) : (
                        'All namespaces'
                      )}
                      {filters.state ? `, state ${STATE_LABEL(filters.state)}` : ''}.{' '}
                      <Link href={pathname} replace scroll={false} data-testid="clear-filters">
                        Show all proxies
                      </Link>
                    </p>
                  </EmptyState>
                ) : (
                  <ProxiesTable rows={rows} />
                )}
              </>
            )}
            {data.proxies.length > 0 ? <CertificateNote certs={data.certs} /> : null}
          </>
        );
      }}
    </LivePage>
  );
}
