/**
 * The metrics port (Istio's :15090/stats/prometheus): Prometheus text from a prom-client
 * registry (the default one unless given), at /metrics and /stats/prometheus. Telemetry puts
 * the istio_* metrics into that registry; a custom handler can replace the whole response.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { register as defaultRegistry, type Registry } from 'prom-client';

export type MetricsHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetrics(
  host: string,
  port: number,
  registry: Registry = defaultRegistry,
  handler?: MetricsHandler,
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' && path !== '/stats/prometheus') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('metrics are at /metrics\n');
      return;
    }
    if (handler) {
      handler(req, res);
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      (err: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`metrics failed: ${err.message}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
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
