/**
 * A quick latency/CPU loop (not a test): one client → sidecar A outbound → sidecar B inbound →
 * a 1 KiB app, against the app directly, at one connection. Everything runs in this process, so
 * CPU per request is the sum of all hops. Run: node --import tsx apps/proxy/test/perf-loop.ts [N]
 * [--telemetry] [--mtls] (--mtls: the sidecars talk mTLS, certificates from an in-memory CA).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { Logger } from '../src/logger';
import { startProxy } from '../src/main';
import { CertificateManager } from '../src/tls/certificate-manager';
import { TestCa } from '../src/tls/testing';
import { cluster, endpoint, forward, proxyConfig, vhost } from './harness';

const n = Number(process.argv[2] ?? 3000);
const telemetry = process.argv.includes('--telemetry');
const mtls = process.argv.includes('--mtls');
const ca = mtls ? await TestCa.create() : null;
const identity = async (serviceAccount: string) => {
  if (!ca) return {};
  const certificates = new CertificateManager({ signer: ca, namespace: 'default', serviceAccount });
  await certificates.start();
  return { certificates };
};
const body = Buffer.alloc(1024, 'x');
const app = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
const appPort = (app.address() as AddressInfo).port;
const base = {
  namespace: 'default',
  serviceAccount: 'x',
  labels: { app: 'x', version: 'v1' },
  services: [{ name: 'reviews', port: 9080 }],
  inboundPort: 0,
  outboundPort: 0,
  adminPort: 0,
  metricsPort: 0,
  logger: new Logger('error'),
  ...(telemetry ? {} : { telemetry: false as const }),
};
const bConfig = proxyConfig('1', [], [], appPort);
if (mtls) bConfig.inbound.mtls.mode = 'STRICT';
const b = await startProxy({
  ...base,
  ...(await identity('reviews')),
  workload: 'reviews-v1',
  appPort,
  config: bConfig,
});
const ep = endpoint(b.ports.inbound);
const c = cluster('reviews', 9080, [
  mtls ? { ...ep, tlsMode: 'ISTIO_MUTUAL', principal: 'spiffe://cluster.local/ns/default/sa/reviews' } : ep,
]);
const a = await startProxy({
  ...base,
  ...(await identity('productpage')),
  workload: 'productpage-v1',
  appPort: 1,
  config: proxyConfig('1', [vhost('reviews', 9080, [forward('r', [[c.name, 100]])])], [c]),
});

async function measure(origin: string) {
  const pool = new Pool(origin, { connections: 1 });
  const lat: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await pool.request({ path: '/x', method: 'GET', headers: { host: 'reviews:9080' } });
    await r.body.arrayBuffer();
    lat.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  await pool.close();
  lat.sort((x, y) => x - y);
  const q = (p: number) => lat[Math.floor(p * lat.length)]!.toFixed(3);
  return {
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    cpuUsPerRequest: ((cpu.user + cpu.system) / n).toFixed(0),
  };
}

for (let round = 0; round < 2; round++) {
  console.log('direct    ', await measure(`http://127.0.0.1:${appPort}`));
  console.log('2 sidecars', await measure(`http://127.0.0.1:${a.ports.outbound}`));
}
await a.close(10);
await b.close(10);
app.close();
