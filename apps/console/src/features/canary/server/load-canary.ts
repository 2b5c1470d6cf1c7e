import 'server-only';
import { TELEMETRY_PATHS } from '@trellis/shared/telemetry-api';
import { type ControlPlaneResult, getControlPlane } from '@/lib/control-plane';
import { proxyStatusListSchema } from '@/lib/wire/proxy-status';
import type { CanaryCandidates, CanaryView, TrafficShiftOffer } from '../types';
import { canaryPaths, PROXIES_PATH } from './paths';
import {
  canaryGraphSchema,
  type DestinationRuleObject,
  destinationRuleListSchema,
  virtualServiceListSchema,
} from './schemas';
import { serviceVersionsOf, unroutedServicesOf } from './service-versions';
import { candidatesOf, fqdnOf, routesService, serviceFqdn, splitViewOf } from './split-view';

/** Observed shares are over the last minute, like the overview's numbers. */
export const CANARY_WINDOW_SECONDS = 60;

/**
 * The service's split routes (and routes a version could be added to) with set and observed
 * weights. VirtualServices are required; without DestinationRules subsets are taken as version
 * names and nothing can be added, and without telemetry the observed columns are unknown (null)
 * and the page says why.
 */
export async function loadCanary(
  namespace: string,
  service: string,
): Promise<ControlPlaneResult<CanaryView>> {
  const [vsList, drList, graph] = await Promise.all([
    getControlPlane(canaryPaths.virtualServices(namespace), virtualServiceListSchema),
    getControlPlane(canaryPaths.allDestinationRules, destinationRuleListSchema),
    getControlPlane(TELEMETRY_PATHS.graph, canaryGraphSchema, {
      search: { window: `${CANARY_WINDOW_SECONDS}s`, namespace },
    }),
  ]);
  if (!vsList.ok) return vsList;
  const hostname = serviceFqdn(namespace, service);
  const rules = drList.ok ? drList.data.items : [];
  const g = graph.ok ? graph.data : null;
  const routing = vsList.data.items.filter((vs) => routesService(vs, hostname));
  const shift =
    routing.length === 0
      ? await shiftOffer(namespace, service, hostname, drList.ok ? drList.data.items : null)
      : undefined;
  return {
    ok: true,
    data: {
      namespace,
      service,
      hostname,
      windowSeconds: g?.window.windowSeconds ?? CANARY_WINDOW_SECONDS,
      telemetryError: graph.ok ? null : `${graph.error.code}: ${graph.error.detail ?? graph.error.message}`,
      virtualServices: routing
        .map((vs) => splitViewOf(vs, rules, g))
        .sort((a, b) => a.name.localeCompare(b.name)),
      ...(shift ? { shift } : {}),
      generatedAtMs: Date.now(),
    },
  };
}

/**
 * What "Create traffic shifting" starts from: the service's versions (the proxy list, read only
 * when no VirtualService routes the service) and the DestinationRule its subsets would come from.
 */
async function shiftOffer(
  namespace: string,
  service: string,
  hostname: string,
  rules: DestinationRuleObject[] | null,
): Promise<TrafficShiftOffer> {
  const proxies = await getControlPlane(PROXIES_PATH, proxyStatusListSchema);
  const rule = (rules ?? []).find(
    (r) => r.spec.host && fqdnOf(r.spec.host, r.metadata.namespace) === hostname,
  );
  return {
    versions: proxies.ok ? serviceVersionsOf(proxies.data, namespace, service) : [],
    versionsError: proxies.ok
      ? null
      : `${proxies.error.code}: ${proxies.error.detail ?? proxies.error.message}`,
    existingRule: rule
      ? {
          namespace: rule.metadata.namespace,
          name: rule.metadata.name,
          subsets: (rule.spec.subsets ?? []).map((s) => ({
            name: s.name,
            version: s.labels?.version ?? null,
          })),
        }
      : null,
  };
}

/**
 * Services with a split to move or a canary to start, and those with versions but no VirtualService
 * (traffic shifting to create). Without DestinationRules (unreadable) no
 * route can start one, so the list falls back to the split ones rather than failing.
 */
export async function loadCandidates(): Promise<ControlPlaneResult<CanaryCandidates>> {
  const [all, rules, proxies] = await Promise.all([
    getControlPlane(canaryPaths.allVirtualServices, virtualServiceListSchema),
    getControlPlane(canaryPaths.allDestinationRules, destinationRuleListSchema),
    getControlPlane(PROXIES_PATH, proxyStatusListSchema),
  ]);
  if (!all.ok) return all;
  return {
    ok: true,
    data: {
      candidates: candidatesOf(all.data.items, rules.ok ? rules.data.items : []),
      // Without the proxy list no version is known: the section is left out rather than failing.
      unrouted: proxies.ok ? unroutedServicesOf(proxies.data, all.data.items) : [],
    },
  };
}
