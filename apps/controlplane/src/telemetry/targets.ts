import type { PrometheusSdTargetGroup, ProxyIdentity } from '@trellis/shared';

/** A sidecar's metrics listener, as the scraper and Prometheus service discovery see it. */
export interface ScrapeTarget {
  /** The proxy id, unique per sidecar. */
  id: string;
  /** host:port of its /metrics listener. */
  address: string;
  namespace: string;
  workload: string;
  app: string;
  version: string;
}

/** Where scrape targets come from (the registry of connected proxies, or a fixed list in tests). */
export interface TargetSource {
  targets(): ScrapeTarget[];
}

/** Scrape targets of connected proxies; proxies that announced no metrics address are skipped. */
export function targetsFromProxies(proxies: Iterable<ProxyIdentity>): ScrapeTarget[] {
  const out: ScrapeTarget[] = [];
  for (const p of proxies) {
    if (!p.metricsAddress) continue;
    out.push({
      id: p.id,
      address: p.metricsAddress,
      namespace: p.namespace,
      workload: p.workload,
      app: p.labels.app ?? p.labels['app.kubernetes.io/name'] ?? p.workload,
      version: p.labels.version ?? p.labels['app.kubernetes.io/version'] ?? 'unknown',
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export function staticTargets(targets: ScrapeTarget[]): TargetSource {
  return { targets: () => targets };
}

/**
 * Prometheus HTTP service discovery (https://prometheus.io/docs/prometheus/latest/http_sd/):
 * one group per sidecar so each carries its own labels. The labels mirror what the Kubernetes
 * pod discovery of Istio's sample Prometheus config attaches (namespace, pod-ish identity); the
 * istio_* series keep their own source_/destination_ labels, so graphs do not depend on them.
 */
export function prometheusSdGroups(targets: readonly ScrapeTarget[]): PrometheusSdTargetGroup[] {
  return targets.map((t) => ({
    targets: [t.address],
    labels: {
      __metrics_path__: '/metrics',
      namespace: t.namespace,
      workload: t.workload,
      app: t.app,
      version: t.version,
      trellis_proxy: t.id,
    },
  }));
}
