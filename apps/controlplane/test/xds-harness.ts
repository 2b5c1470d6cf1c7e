/**
 * Shared set-up for the config-push tests: a real gRPC server with ConfigPush on 127.0.0.1 (port
 * picked by the OS) and real XdsClients from the proxy package. Everything is closed by t.after.
 */

import { type ApplyResult, XdsClient, type XdsNode } from '@trellis/proxy/xds-client/index';
import type { MeshResource, MeshSettings, ProxyConfig } from '@trellis/shared';
import { type RunningGrpcServer, startGrpcServer } from '../src/grpc/server';
import { EmbeddedRegistry } from '../src/registry';
import { ConfigPush, type ConfigPushOptions, StaticResources, silentXdsLogger } from '../src/xds';

export interface TestContext {
  after(fn: () => void | Promise<void>): void;
}

export const SETTINGS: MeshSettings = {
  rootNamespace: 'istio-system',
  trustDomain: 'cluster.local',
  accessLog: false,
  tracing: { samplingPercent: 0 },
};

export interface PushHarness {
  push: ConfigPush;
  resources: StaticResources;
  registry: EmbeddedRegistry;
  server: RunningGrpcServer;
  target: string;
  stop(): Promise<void>;
}

export async function startPush(
  t: TestContext,
  options: Partial<ConfigPushOptions> & {
    port?: number;
    resources?: StaticResources;
    registry?: EmbeddedRegistry;
  } = {},
): Promise<PushHarness> {
  const resources = options.resources ?? new StaticResources();
  const registry = options.registry ?? new EmbeddedRegistry({ graceMs: 200 });
  const push = new ConfigPush({
    settings: SETTINGS,
    logger: process.env.TRELLIS_DEBUG ? undefined : silentXdsLogger,
    ...options,
    resources,
    registry,
  });
  const server = await startGrpcServer({ port: options.port ?? 0, register: (s) => push.addTo(s) });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    push.close();
    await server.close(200);
  };
  t.after(stop);
  return { push, resources, registry, server, target: `127.0.0.1:${server.port}`, stop };
}

export interface ClientHarness {
  client: XdsClient;
  /** Every config onConfig was called with, in order. */
  received: ProxyConfig[];
  /** Versions onConfig accepted. */
  applied: string[];
}

export function node(id: string, overrides: Partial<XdsNode> = {}): XdsNode {
  const [workload = id, namespace = 'default'] = id.split('.');
  const app = workload.replace(/-v\d+$/, '');
  return {
    id,
    workload,
    namespace,
    serviceAccount: app,
    labels: { app, version: workload.match(/-(v\d+)$/)?.[1] ?? 'v1' },
    services: [{ name: app, port: 9080 }],
    inboundAddress: '127.0.0.1:15006',
    proxyVersion: 'test',
    ...overrides,
  };
}

export function startClient(
  t: TestContext,
  target: string,
  n: XdsNode,
  onConfig: (config: ProxyConfig) => ApplyResult | Promise<ApplyResult> = () => ({ ok: true }),
): ClientHarness {
  const received: ProxyConfig[] = [];
  const applied: string[] = [];
  const client = new XdsClient({
    target,
    node: n,
    backoff: { initialMs: 50, maxMs: 400 },
    async onConfig(json, version) {
      const config = json as ProxyConfig;
      received.push(config);
      const result = await onConfig(config);
      if (result.ok) applied.push(version);
      return result;
    },
  });
  client.start();
  t.after(() => client.close());
  return { client, received, applied };
}

/** Polls until `check` returns a value other than undefined/false; fails after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let created = 0;

export function resource<S>(
  kind: MeshResource['kind'],
  namespace: string,
  name: string,
  spec: S,
): MeshResource<S> {
  created += 1;
  return {
    apiVersion:
      kind === 'VirtualService' || kind === 'DestinationRule'
        ? 'networking.istio.io/v1'
        : 'security.istio.io/v1',
    kind,
    metadata: {
      name,
      namespace,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, created)).toISOString(),
    },
    spec,
  };
}
