'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { LivePage } from '@/components/live-page';
import { NamespaceSelect } from '@/components/namespace-select';
import { EmptyState } from '@/components/states';
import { OVERVIEW_REFRESH_MS, useOverview } from '../api/get-overview';
import { SourceBanner } from './source-banner';
import { WorkloadsTable } from './workloads-table';

/** The namespace filter is view state, so it lives in the URL (?namespace=) and survives reloads and links. */
function useNamespaceFilter(): [string | null, (ns: string | null) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const value = params.get('namespace');
  const set = (ns: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (ns) next.set('namespace', ns);
    else next.delete('namespace');
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  return [value, set];
}

export function OverviewPage() {
  const query = useOverview();
  const [namespace, setNamespace] = useNamespaceFilter();

  return (
    <LivePage
      title="Mesh overview"
      lead={
        <>
          Every workload in the mesh, its proxies' config sync, and its inbound traffic over the last{' '}
          {query.data?.windowSeconds ?? 60} s.
        </>
      }
      query={query}
      everyMs={OVERVIEW_REFRESH_MS}
      loadingLabel="Loading workloads from the control plane…"
      errorTitle="Cannot load the mesh overview"
    >
      {(data) => {
        const namespaces = [...new Set(data.workloads.map((w) => w.namespace))].sort();
        const rows = namespace ? data.workloads.filter((w) => w.namespace === namespace) : data.workloads;
        return (
          <>
            <SourceBanner
              source={data.sources.proxies}
              title="Proxy sync status unavailable."
              effect="The Sync column is unknown."
            />
            <SourceBanner
              source={data.sources.telemetry}
              title="Telemetry unavailable."
              effect="Requests/s, errors and p99 are unknown."
            />
            {data.workloads.length === 0 ? (
              <EmptyState title="No workloads yet">
                <p>
                  No proxy has connected to the control plane and no traffic has been seen. Start a workload
                  with its sidecar (<code>trellis proxy …</code>) or run <code>trellis demo</code> to bring up
                  Bookinfo.
                </p>
              </EmptyState>
            ) : (
              <>
                <div className="toolbar">
                  <NamespaceSelect
                    value={namespace}
                    namespaces={namespaces}
                    onChange={(ns) => setNamespace(ns)}
                  />
                  <span className="toolbar-count" data-testid="workload-count">
                    {rows.length} of {data.workloads.length} workloads
                  </span>
                </div>
                {rows.length === 0 ? (
                  <EmptyState title={`No workloads in namespace "${namespace}"`}>
                    <p>Pick another namespace or show all.</p>
                  </EmptyState>
                ) : (
                  <WorkloadsTable rows={rows} />
                )}
              </>
            )}
          </>
        );
      }}
    </LivePage>
  );
}
