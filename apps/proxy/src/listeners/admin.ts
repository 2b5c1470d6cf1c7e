/**
 * The admin port (Envoy's :15000), bound to 127.0.0.1 only: /ready, /config_dump, /certs, /stats,
 * /clusters, /logging. Read-only except /logging?level= and /quitquitquit (POST).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigStore } from '../config/store';
import { Logger } from '../logger';
import type { Stats } from '../stats';

export interface AdminOptions {
  port: number;
  store: ConfigStore;
  stats: Stats;
  logger: Logger;
  identity: Record<string, unknown>;
  /** The mesh certificate in use (serial, validity, rotations); absent without a mesh identity. */
  certs?: () => unknown;
  onQuit?: () => void;
}

export interface AdminServer {
  port: number;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function clustersView(store: ConfigStore) {
  const cfg = store.current;
  if (!cfg) return [];
  return [...cfg.clusters.values(), cfg.inboundCluster].map((c) => ({
    name: c.name,
    service: c.service,
    subset: c.subset,
    lb: c.lb,
    active: c.state.active,
    pending: c.state.pending.length,
    retriesActive: c.state.retriesActive,
    stats: { ...c.state.stats },
    endpoints: c.endpoints.map((e) => ({
      address: e.state.address,
      workload: e.peer.workload,
      version: e.peer.version,
      health: e.state.ejected ? 'failed_outlier_check' : 'healthy',
      ejected: e.state.ejected,
      ejections: e.state.ejections,
      active: e.state.active,
      requests: e.state.totalRequests,
      errors: e.state.totalErrors,
      consecutive5xx: e.state.consecutive5xx,
    })),
  }));
}

export async function startAdmin(o: AdminOptions): Promise<AdminServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    switch (url.pathname) {
      case '/ready':
        if (o.store.ready) send(res, 200, 'text/plain', 'LIVE\n');
        else send(res, 503, 'text/plain', 'PRE_INITIALIZING: waiting for the first configuration\n');
        return;
      case '/config_dump': {
        const c = o.store.current;
        const body = {
          identity: o.identity,
          version: o.store.ready ? (c?.version ?? null) : null,
          applied: o.store.applied,
          rejected: o.store.rejected,
          lastError: o.store.lastError,
          config: o.store.ready ? (c?.source ?? null) : null,
        };
        send(res, 200, 'application/json', `${JSON.stringify(body, null, 2)}\n`);
        return;
      }
      case '/stats': {
        const lines = o.stats.snapshot().map(([k, v]) => `${k}: ${v}`);
        lines.push(`config.applied: ${o.store.applied}`, `config.rejected: ${o.store.rejected}`);
        for (const c of clustersView(o.store)) {
          lines.push(`cluster.${c.name}.upstream_rq_active: ${c.active}`);
          lines.push(`cluster.${c.name}.upstream_rq_pending_active: ${c.pending}`);
          lines.push(`cluster.${c.name}.upstream_rq_pending_overflow: ${c.stats.overflow}`);
          lines.push(`cluster.${c.name}.upstream_rq_retry: ${c.stats.retries}`);
          lines.push(`cluster.${c.name}.upstream_rq_retry_overflow: ${c.stats.retryOverflow}`);
          lines.push(`cluster.${c.name}.outlier_detection.ejections_total: ${c.stats.ejections}`);
          lines.push(
            `cluster.${c.name}.outlier_detection.ejections_active: ${c.endpoints.filter((e) => e.ejected).length}`,
          );
        }
        send(res, 200, 'text/plain', `${lines.join('\n')}\n`);
        return;
      }
      case '/clusters': {
        const view = clustersView(o.store);
        if (url.searchParams.get('format') === 'json') {
          send(res, 200, 'application/json', `${JSON.stringify({ clusters: view }, null, 2)}\n`);
          return;
        }
        const lines: string[] = [];
        for (const c of view)
          for (const e of c.endpoints) {
            const p = `${c.name}::${e.address}`;
            lines.push(`${p}::health_flags::${e.ejected ? '/failed_outlier_check' : 'healthy'}`);
            lines.push(
              `${p}::rq_active::${e.active}`,
              `${p}::rq_total::${e.requests}`,
              `${p}::rq_error::${e.errors}`,
            );
          }
        send(res, 200, 'text/plain', `${lines.join('\n')}\n`);
        return;
      }
      case '/certs':
        // Like Envoy's /certs: public facts about the certificate, never the key.
        if (!o.certs)
          return send(res, 404, 'text/plain', 'no mesh identity (start with --join-token-file)\n');
        send(res, 200, 'application/json', `${JSON.stringify(o.certs(), null, 2)}\n`);
        return;
      case '/logging': {
        const level = url.searchParams.get('level');
        if (level !== null) {
          if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST to change the level\n');
          if (!Logger.isLevel(level)) return send(res, 400, 'text/plain', `unknown level "${level}"\n`);
          o.logger.level = level;
        }
        send(res, 200, 'text/plain', `active loggers:\n  proxy: ${o.logger.level}\n`);
        return;
      }
      case '/quitquitquit':
        if (req.method !== 'POST') return send(res, 405, 'text/plain', 'use POST\n');
        send(res, 200, 'text/plain', 'OK\n');
        o.onQuit?.();
        return;
      case '/':
        send(
          res,
          200,
          'text/plain',
          '/ready\n/config_dump\n/certs\n/stats\n/clusters\n/logging\n/quitquitquit\n',
        );
        return;
      default:
        send(res, 404, 'text/plain', `no admin endpoint ${url.pathname}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
