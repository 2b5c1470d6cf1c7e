'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { LivePage } from '@/components/live-page';
import { NamespaceSelect } from '@/components/namespace-select';
import { EmptyState } from '@/components/states';
import { TOPOLOGY_REFRESH_MS, useTopology } from '../api/get-topology';
import { DEFAULT_WINDOW, parseWindow } from '../server/params';
import type { TopologyResponse } from '../types';
import { NodePanel } from './node-panel';
import styles from './topology.module.css';
import { TopologyGraph } from './topology-graph';

const WINDOWS = [
  { value: '60s', label: 'Last 1 minute' },
  { value: '5m', label: 'Last 5 minutes' },
  { value: '15m', label: 'Last 15 minutes' },
  { value: '30m', label: 'Last 30 minutes' },
  { value: '1h', label: 'Last hour' },
];

/**
 * The URL is the page's API (Kiali's rule): ?namespace=, ?window= and the selected ?node= survive
 * reloads and links. Writing one keeps the others.
 */
function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const set = useCallback(
    (patch: Record<string, string | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  const rawWindow = params.get('window') ?? DEFAULT_WINDOW;
  return {
    namespace: params.get('namespace') || null,
    window: rawWindow,
    windowSeconds: parseWindow(rawWindow) ?? 60,
    node: params.get('node') || null,
    set,
  };
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function summaryText(s: TopologyResponse['summary']): string {
  const parts = [count(s.apps, 'app'), count(s.workloads, 'workload')];
  if (s.services > 0) parts.push(count(s.services, 'service'));
  parts.push(count(s.edges, 'edge'));
  return parts.join(' · ');
}

export function TopologyPage() {
  const url = useUrlState();
  const query = useTopology({ namespace: url.namespace, window: url.window });
  const { set } = url;
  const select = useCallback((id: string | null) => set({ node: id }), [set]);

  return (
    <LivePage
      title="Topology"
      lead={`Requests between workloads over the last ${query.data?.windowSeconds ?? url.windowSeconds} s, versions grouped per app, coloured by error rate.`}
      className={`page ${styles.page}`}
      query={query}
      everyMs={TOPOLOGY_REFRESH_MS}
      loadingLabel="Loading the service graph from the control plane…"
      errorTitle="Cannot load the service graph"
    >
      {(data) => {
        const namespaces =
          url.namespace && !data.namespaces.includes(url.namespace)
            ? [...data.namespaces, url.namespace].sort()
            : data.namespaces;
        const windows = WINDOWS.some((w) => w.value === url.window)
          ? WINDOWS
          : [...WINDOWS, { value: url.window, label: `Last ${data.windowSeconds} s` }];
        return (
          <>
            <div className={styles.toolbar}>
              <NamespaceSelect
                value={url.namespace}
                namespaces={namespaces}
                onChange={(ns) => set({ namespace: ns, node: null })}
              />
              <label>
                Traffic
                <select
                  value={url.window}
                  onChange={(e) => set({ window: e.target.value === DEFAULT_WINDOW ? null : e.target.value })}
                  data-testid="window-filter"
                >
                  {windows.map((w) => (
                    <option key={w.value} value={w.value}>
                      {w.label}
                    </option>
                  ))}
                </select>
              </label>
              <span className={styles.summary} data-testid="topology-summary">
                {summaryText(data.summary)}
              </span>
            </div>
            {data.nodes.length === 0 ? (
              url.namespace ? (
                <EmptyState title={`No traffic in namespace "${url.namespace}"`}>
                  <p>
                    Nothing in this namespace sent or received requests in the window. Pick another namespace
                    or show all.
                  </p>
                </EmptyState>
              ) : (
                <EmptyState title="No traffic yet">
                  <p>
                    The graph is drawn from the sidecars' request metrics, and none have been seen in the
                    window. Send requests through the mesh, or run <code>trellis demo</code> to bring up
                    Bookinfo with its load.
                  </p>
                </EmptyState>
              )
            ) : (
              <div className={styles.body}>
                <TopologyGraph
                  data={data}
                  viewKey={`${data.namespace ?? ''}|${data.windowSeconds}`}
                  selectedId={url.node}
                  onSelect={select}
                />
                <NodePanel data={data} selectedId={url.node} onClose={() => select(null)} />
              </div>
            )}
          </>
        );
      }}
    </LivePage>
  );
}
