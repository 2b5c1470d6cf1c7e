/** Unit-test helpers: a compiled runtime config and a Call without sockets. */
import type { Cluster, ProxyConfig, Route } from '@trellis/shared';
import { ClusterStates } from '../cluster/state';
import { compileConfig, type RuntimeConfig } from '../config/compile';
import { Call } from '../http/call';
import type { Exchange } from '../http/exchange';

export function testCluster(name: string, ports: number[], extra: Partial<Cluster> = {}): Cluster {
  return {
    name,
    service: `${name}.default.svc.cluster.local`,
    port: 9080,
    protocol: 'HTTP',
    lb: 'ROUND_ROBIN',
    endpoints: ports.map((port) => ({
      host: '127.0.0.1',
      port,
      workload: `${name}-${port}`,
      namespace: 'default',
      labels: { app: name, version: `v${port}` },
      tlsMode: 'DISABLE',
    })),
    connectionPool: {},
    ...extra,
  };
}

export function testConfig(
  routes: Route[],
  clusters: Cluster[],
  domains = ['reviews.default.svc.cluster.local'],
): ProxyConfig {
  return {
    version: '1',
    outbound: { virtualHosts: [{ name: 'vh', domains, port: 9080, routes }], clusters },
    inbound: {
      appHost: '127.0.0.1',
      appPort: 1,
      mtls: { mode: 'PERMISSIVE', portLevel: {} },
      authorization: [],
    },
    telemetry: { accessLog: false, tracing: { samplingPercent: 0 } },
  };
}

export function compiled(cfg: ProxyConfig, namespace = 'default'): RuntimeConfig {
  const r = compileConfig(cfg, { states: new ClusterStates(), namespace });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.config;
}

export function fakeExchange(
  path = '/',
  headers: string[] = [],
  method = 'GET',
  authority = 'reviews:9080',
): Exchange {
  return {
    protocol: 'h1',
    method,
    path,
    authority,
    rawHeaders: headers,
    body: null,
    remoteAddress: '127.0.0.1',
    closed: false,
    headSent: false,
    head() {},
    write: () => true,
    end() {},
    destroy() {},
    reply() {},
  };
}

export function fakeCall(cfg: RuntimeConfig, ex: Exchange = fakeExchange()): Call {
  return new Call(cfg, ex);
}
