import 'server-only';
import { PROXY_ADMIN_PATHS } from '@trellis/shared/proxy-admin-api';
import { fqdn } from '@trellis/shared/registry';
import { TELEMETRY_PATHS } from '@trellis/shared/telemetry-api';
import { getControlPlane } from '@/lib/control-plane';
import type { ConsoleErrorBody } from '@/lib/errors';
import { serviceEndpointsStatusSchema } from '@/lib/wire/proxy-admin';
import { proxyStatusListSchema as proxiesSchema } from '@/lib/wire/proxy-status';
import type { ServiceRange } from '../range';
import type { ServiceConfigView, ServiceEndpointsView, ServiceMetricsView, SourceStatus } from '../types';
import { configFor } from './config';
import { endpointsOf } from './endpoints';
import { withOutlier } from './outlier';
import { meshListSchema, serviceMetricsSchema } from './schemas';
import { buildMetricsView } from './series';

export type Loaded<T> = { ok: true; data: T } | { ok: false; error: ConsoleErrorBody };

/** The control plane's proxy sync list (docs/config-push.md). */
export const PROXIES_PATH = '/api/v1/mesh/proxies';
/** All namespaces: a VirtualService in one namespace may name a service of another by its FQDN. */
export const VIRTUAL_SERVICES_PATH = '/apis/networking.istio.io/v1/virtualservices';
export const DESTINATION_RULES_PATH = '/apis/networking.istio.io/v1/destinationrules';
/** How far back telemetry is asked which workloads served the service (for unlabelled proxies). */
const ENDPOINTS_TELEMETRY_RANGE = '5m';

const status = (r: { ok: true } | { ok: false; error: ConsoleErrorBody }): SourceStatus =>
  r.ok ? { ok: true } : { ok: false, error: r.error };

export async function loadServiceMetrics(
  namespace: string,
  name: string,
  range: ServiceRange,
): Promise<Loaded<ServiceMetricsView>> {
  const res = await getControlPlane(TELEMETRY_PATHS.serviceMetrics(namespace, name), serviceMetricsSchema, {
    search: { range },
  });
  return res.ok ? { ok: true, data: buildMetricsView(res.data, range) } : res;
}

/** Both kinds in parallel; one failing still shows the other, with its source marked. */
export async function loadServiceConfig(namespace: string, name: string): Promise<Loaded<ServiceConfigView>> {
  const hostname = fqdn(name, namespace);
  const [vs, dr] = await Promise.all([
    getControlPlane(VIRTUAL_SERVICES_PATH, meshListSchema),
    getControlPlane(DESTINATION_RULES_PATH, meshListSchema),
  ]);
  if (!vs.ok && !dr.ok) {
    const also = `also ${dr.error.path ?? DESTINATION_RULES_PATH}: ${dr.error.code}`;
    return {
      ok: false,
      error: { ...vs.error, detail: vs.error.detail ? `${vs.error.detail}; ${also}` : also },
    };
  }
  return {
    ok: true,
    data: {
      hostname,
      virtualServices: vs.ok ? configFor('VirtualService', vs.data.items, hostname) : [],
      destinationRules: dr.ok ? configFor('DestinationRule', dr.data.items, hostname) : [],
      sources: { virtualServices: status(vs), destinationRules: status(dr) },
    },
  };
}

/**
 * The sync list decides which proxies are listed; telemetry only adds workloads that serve the
 * service without its app label; the callers' sidecars (read by the control plane from their admin
 * /clusters) say which endpoints they have ejected. Each source failing alone leaves the others.
 */
export async function loadServiceEndpoints(
  namespace: string,
  name: string,
): Promise<Loaded<ServiceEndpointsView>> {
  const [proxies, metrics, outlier] = await Promise.all([
    getControlPlane(PROXIES_PATH, proxiesSchema),
    getControlPlane(TELEMETRY_PATHS.serviceMetrics(namespace, name), serviceMetricsSchema, {
      search: { range: ENDPOINTS_TELEMETRY_RANGE },
    }),
    getControlPlane(PROXY_ADMIN_PATHS.serviceEndpoints(namespace, name), serviceEndpointsStatusSchema),
  ]);
  if (!proxies.ok) return proxies;
  const rows = endpointsOf(proxies.data, { namespace, name }, metrics.ok ? metrics.data : null);
  return {
    ok: true,
    data: {
      ...withOutlier(rows, outlier.ok ? outlier.data : null),
      sources: { proxies: { ok: true }, telemetry: status(metrics), outlier: status(outlier) },
    },
  };
}
