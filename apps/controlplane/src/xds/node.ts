import type { ProxyIdentity } from '@trellis/shared';
import type { WireNode } from '../grpc/messages';

export type NodeParse =
  | { ok: true; identity: ProxyIdentity; proxyVersion: string }
  | { ok: false; message: string };

/** The Node a proxy sends on its first request, checked at the trust boundary. */
export function identityFromNode(node: WireNode | null | undefined): NodeParse {
  if (!node) return { ok: false, message: 'the first request of a stream must carry node' };
  const missing = (['id', 'workload', 'namespace'] as const).filter((k) => !node[k]);
  if (missing.length > 0) return { ok: false, message: `node.${missing.join(', node.')} must be set` };
  const services = (node.services ?? []).map((s) => ({ name: s.name, port: s.port }));
  const bad = services.find((s) => !s.name || !Number.isInteger(s.port) || s.port < 1 || s.port > 65535);
  if (bad) return { ok: false, message: `node.services: "${bad.name}:${bad.port}" is not NAME:PORT` };
  const identity: ProxyIdentity = {
    id: node.id,
    workload: node.workload,
    namespace: node.namespace,
    serviceAccount: node.service_account || 'default',
    labels: { ...(node.labels ?? {}) },
    services,
    inboundAddress: node.inbound_address,
    ...(node.app_port ? { appPort: node.app_port } : {}),
    ...(node.metrics_address ? { metricsAddress: node.metrics_address } : {}),
    ...(node.admin_address ? { adminAddress: node.admin_address } : {}),
  };
  return { ok: true, identity, proxyVersion: node.proxy_version ?? '' };
}
