/**
 * The console's view of the sidecars' own state, read through their admin listeners as Kiali
 * reads each Envoy's admin: GET …/services/NS/NAME/endpoints (who ejected which endpoint) and
 * GET …/proxies/ID/certs, …/certs (which certificate each sidecar holds). Sidecars are asked in
 * parallel at request time (nothing is cached, so the answer is as fresh as the page's refresh);
 * one that does not answer within ADMIN_TIMEOUT_MS is listed as unreachable.
 */
import type { MeshEndpoint, ProxyIdentity } from '@trellis/shared';
import { PROXY_ADMIN_PATHS, type ProxyCertsStatus } from '@trellis/shared/proxy-admin-api';
import { TELEMETRY_API_PREFIX } from '@trellis/shared/telemetry-api';
import { sendJson } from '../api/http';
import { Errors, StatusError } from '../errors';
import { endpointsOf } from '../registry';
import type { ControlPlaneComponent } from '../server';
import type { ProxyStatus } from '../xds/status';
import { proxyCertsStatus } from './certs';
import { type AdminRead, type ProxyRef, serviceEndpointsStatus } from './endpoints';
import { adminGet } from './fetch-admin';
import { type AdminCerts, type AdminClusters, adminCertsSchema, adminClustersSchema } from './schemas';

export interface ProxyAdminComponentOptions {
  /** Every listed proxy, connected or recently gone (the config push's status list). */
  proxies: () => readonly ProxyStatus[];
  /** The proxies with an open stream; their registry endpoints are the services' endpoints. */
  connected: () => readonly ProxyIdentity[];
  timeoutMs?: number;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function refOf(p: ProxyStatus): ProxyRef {
  return { proxy: p.id, workload: p.workload, namespace: p.namespace, connected: p.state !== 'DISCONNECTED' };
}

export function proxyAdminComponent(options: ProxyAdminComponentOptions): ControlPlaneComponent {
  const deadline = options.timeoutMs ? { timeoutMs: options.timeoutMs } : {};
  const clustersOf = async (p: ProxyStatus): Promise<AdminRead<AdminClusters>> => {
    if (!p.adminAddress) return { ok: false, failure: { kind: 'no-admin-address' } };
    const read = await adminGet(p.adminAddress, '/clusters?format=json', adminClustersSchema, deadline);
    return read.ok ? { ok: true, value: read.value ?? { clusters: [] } } : read;
  };
  const certsOf = async (p: ProxyStatus): Promise<ProxyCertsStatus> => {
    const read: AdminRead<AdminCerts | undefined> = p.adminAddress
      ? await adminGet(p.adminAddress, '/certs', adminCertsSchema, { absentOn: [404], ...deadline })
      : { ok: false, failure: { kind: 'no-admin-address' } };
    return proxyCertsStatus(refOf(p), read, new Date());
  };

  return {
    name: 'proxy-admin',
    start(ctx) {
      const r = ctx.router;
      r.get(`${TELEMETRY_API_PREFIX}/services/:namespace/:service/endpoints`, async ({ res, params }) => {
        const namespace = params.namespace!;
        const service = params.service!;
        for (const [what, v] of [
          ['namespace', namespace],
          ['service', service],
        ] as const)
          if (!NAME.test(v)) throw new StatusError(Errors.badRequest(`${what} "${v}" is not a DNS name`));
        const listed = options.proxies();
        const endpoints: MeshEndpoint[] = options.connected().flatMap(endpointsOf);
        const reads = await Promise.all(
          listed.map(async (p) => ({ ...refOf(p), read: await clustersOf(p) })),
        );
        sendJson(
          res,
          200,
          serviceEndpointsStatus({ namespace, service, endpoints, proxies: reads, now: new Date() }),
        );
      });
      r.get(`${TELEMETRY_API_PREFIX}/proxies/:id/certs`, async ({ res, params }) => {
        const id = params.id!;
        const p = options.proxies().find((x) => x.id === id);
        if (!p) throw new StatusError(Errors.notFound({ group: '', resource: 'proxies', name: id }));
        sendJson(res, 200, await certsOf(p));
      });
      r.get(PROXY_ADMIN_PATHS.certs, async ({ res }) => {
        const listed = options.proxies();
        sendJson(res, 200, await Promise.all(listed.map(certsOf)));
      });
      return undefined;
    },
  };
}
