import { fqdn, type MeshService } from '@trellis/shared';

/** Istio host matching: "*" matches all, "*.example.com" any name ending in ".example.com". */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/**
 * The Host header values a service answers to from a proxy in `fromNamespace`, as Kubernetes DNS
 * resolves them: the FQDN and its shorter forms; the bare name only inside its own namespace.
 */
export function serviceDomains(service: MeshService, fromNamespace: string): string[] {
  const domains = [service.hostname];
  const suffix = `.${service.namespace}.svc.`;
  const at = service.hostname.indexOf(suffix);
  if (at > 0) {
    const name = service.hostname.slice(0, at);
    domains.push(`${name}.${service.namespace}.svc`, `${name}.${service.namespace}`);
    if (fromNamespace === service.namespace) domains.push(name);
  }
  return domains;
}

/** Resolves a host written in a resource of `namespace` (short names are relative to it). */
export function resolveHost(host: string, namespace: string, domain: string): string {
  return fqdn(host, namespace, domain);
}

/** Envoy/Istio cluster naming: outbound|PORT|SUBSET|FQDN (subset empty when none). */
export function clusterName(host: string, port: number, subset?: string): string {
  return `outbound|${port}|${subset ?? ''}|${host}`;
}
