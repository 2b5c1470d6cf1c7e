import Link from 'next/link';
import { formatMs, formatPercent, formatRps } from '@/lib/format';
import type { TopologyEdge, TopologyNode, TopologyResponse } from '../types';
import { HealthBadge } from './health-badge';
import { Legend, LockIcon } from './legend';
import styles from './topology.module.css';

const KIND_TEXT: Record<TopologyNode['kind'], string> = {
  app: 'App',
  workload: 'Workload',
  service: 'Service (no workload answered)',
  unknown: 'Outside the mesh',
};

function MtlsCell({ edge }: { edge: TopologyEdge }) {
  switch (edge.mtls) {
    case 'mtls':
      return (
        <span title="Every request used mutual TLS" data-mtls="mtls">
          <LockIcon size={12} /> mTLS
        </span>
      );
    case 'partial':
      return (
        <span className={styles.plain} data-mtls="partial">
          ⚠ {formatPercent(1 - (edge.mtlsShare ?? 0))} plain
        </span>
      );
    case 'none':
      return (
        <span className={styles.plain} data-mtls="none">
          ⚠ plaintext
        </span>
      );
    case 'unknown':
      return <span data-mtls="unknown">—</span>;
  }
}

function nameOf(nodes: Map<string, TopologyNode>, id: string): string {
  const n = nodes.get(id);
  if (!n) return id;
  if (n.kind === 'workload') return n.workload ?? n.label;
  return n.label.replace('\n', ' · ');
}

/** Inbound golden signals of the selected node, where its traffic comes from, and its service page. */
export function NodePanel({
  data,
  selectedId,
  onClose,
}: {
  data: TopologyResponse;
  selectedId: string | null;
  onClose: () => void;
}) {
  const node = selectedId ? data.nodes.find((n) => n.id === selectedId) : undefined;
  if (!node)
    return (
      <aside className={styles.panel} data-testid="topology-side">
        <p className={styles.hint}>
          {selectedId
            ? 'The selected node has no traffic in this window or is outside the filter.'
            : 'Click a node for its inbound golden signals and a link to its service.'}
        </p>
        <h3>Legend</h3>
        <Legend />
      </aside>
    );

  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const targets = new Set(node.kind === 'app' ? node.children : [node.id]);
  const inbound = data.edges.filter((e) => targets.has(e.target)).sort((a, b) => b.rps - a.rps);
  const title = node.kind === 'workload' ? (node.workload ?? node.label) : node.label.split('\n')[0];
  const versions = node.kind === 'app' ? node.children.map((id) => byId.get(id)).filter((n) => !!n) : [];

  return (
    <aside className={styles.panel} data-testid="node-panel" data-node={node.id}>
      <div className={styles.panelHead}>
        <div>
          <h2 data-testid="panel-title">{title}</h2>
          <p className={styles.sub}>
            {KIND_TEXT[node.kind]}
            {node.namespace ? ` · namespace ${node.namespace}` : ''}
            {node.version ? ` · version ${node.version}` : ''}
          </p>
        </div>
        <button type="button" className={styles.close} aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <HealthBadge health={node.health} testId="panel-health" />

      <h3>Inbound, last {data.windowSeconds} s</h3>
      <dl className={styles.signals}>
        <div>
          <dt>Requests/s</dt>
          <dd data-testid="panel-rps">{formatRps(node.inbound.rps)}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd data-testid="panel-errors">{formatPercent(node.inbound.errorRate)}</dd>
        </div>
        <div>
          <dt>{node.kind === 'app' ? 'p99 (max)' : 'p99'}</dt>
          <dd data-testid="panel-p99">{formatMs(node.inbound.p99Ms)}</dd>
        </div>
        <div>
          <dt>p50</dt>
          <dd data-testid="panel-p50">{formatMs(node.inbound.p50Ms)}</dd>
        </div>
        <div>
          <dt>p95</dt>
          <dd data-testid="panel-p95">{formatMs(node.inbound.p95Ms)}</dd>
        </div>
        <div>
          <dt>Sent req/s</dt>
          <dd data-testid="panel-outbound">{formatRps(node.outboundRps)}</dd>
        </div>
      </dl>

      {versions.length > 0 ? (
        <>
          <h3>Versions</h3>
          <table className={styles.mini} data-testid="panel-versions">
            <thead>
              <tr>
                <th>Version</th>
                <th className={styles.num}>req/s</th>
                <th className={styles.num}>err</th>
                <th className={styles.num}>p99</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id} data-version={v.version ?? v.label}>
                  <td>{v.label}</td>
                  <td className={styles.num}>{formatRps(v.inbound.rps)}</td>
                  <td className={styles.num}>{formatPercent(v.inbound.errorRate)}</td>
                  <td className={styles.num}>{formatMs(v.inbound.p99Ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}

      {node.kind !== 'unknown' ? (
        <>
          <h3>Inbound from</h3>
          {inbound.length === 0 ? (
            <p className={styles.hint}>No requests arrived in this window.</p>
          ) : (
            <table className={styles.mini} data-testid="panel-inbound">
              <thead>
                <tr>
                  <th>From</th>
                  <th className={styles.num}>req/s</th>
                  <th className={styles.num}>err</th>
                  <th className={styles.num}>p99</th>
                  <th>TLS</th>
                </tr>
              </thead>
              <tbody>
                {inbound.map((e) => (
                  <tr key={e.id} data-source={e.source}>
                    <td>{nameOf(byId, e.source)}</td>
                    <td className={styles.num}>{formatRps(e.rps)}</td>
                    <td className={styles.num}>{formatPercent(e.errorRate)}</td>
                    <td className={styles.num}>{formatMs(e.p99Ms)}</td>
                    <td>
                      <MtlsCell edge={e} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : (
        <p className={styles.hint}>
          Requests from clients without a sidecar (or before the mesh saw who sent them). It sends{' '}
          {formatRps(node.outboundRps)} req/s into the mesh.
        </p>
      )}

      {node.services.length > 0 ? (
        <>
          <h3>Service</h3>
          <ul className={styles.links}>
            {node.services.map((s) => (
              <li key={s.hostname}>
                <Link
                  href={`/services/${encodeURIComponent(s.namespace)}/${encodeURIComponent(s.name)}`}
                  data-testid="panel-service-link"
                >
                  {s.name}.{s.namespace} →
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </aside>
  );
}
