import { parseDuration } from '../duration';
import type { CorsPolicy, L4MatchAttributes, TLSMatchAttributes } from '../resources';
import type { Findings, Path } from './causes';
import { corsHeaderNameProblem } from './headers';
import { ipOrCidrProblem, isDns1123Label, isIpAddress, wildcardDomainProblem } from './names';
import { checkDuration, checkLabels, checkPort, checkStringMatch } from './rules';

/** The smaller VirtualService checks: gateways, L4/TLS matches, CORS, host overlap. */

/** Hosts overlap when equal or when one wildcard covers the other ("*.foo.com" and "*.com"). */
export function hostsOverlap(a: string, b: string): boolean {
  const al = a.toLowerCase();
  const bl = b.toLowerCase();
  if (al === bl) return true;
  const covers = (w: string, h: string) => w.startsWith('*') && h.endsWith(w.slice(1));
  return covers(al, bl) || covers(bl, al);
}

/** "namespace/name", or a plain name ("mesh", or the legacy FQDN form, which only warns). */
export function checkGatewayNames(f: Findings, at: Path, gateways: string[]): void {
  gateways.forEach((gw, i) => {
    const slash = gw.indexOf('/');
    if (slash < 0) {
      if (gw.includes('.')) {
        const [name, ns] = gw.split('.');
        f.warn(
          [...at, i],
          `using legacy gatewayName format "${gw}"; prefer the <namespace>/<name> format: "${ns}/${name}"`,
        );
      }
      const problem = wildcardDomainProblem(gw);
      if (problem || gw.includes('*')) f.invalid([...at, i], problem ?? `invalid gateway name ${gw}`);
      return;
    }
    const ns = gw.slice(0, slash);
    const name = gw.slice(slash + 1);
    if (ns === '' || name === '') f.invalid([...at, i], 'config namespace and gateway name cannot be empty');
    else {
      if (!isDns1123Label(ns)) f.invalid([...at, i], `invalid value for namespace: "${ns}"`);
      if (!isDns1123Label(name)) f.invalid([...at, i], `invalid value for gateway name: "${name}"`);
    }
  });
}

export function checkL4Match(f: Findings, at: Path, m: L4MatchAttributes): void {
  m.destinationSubnets?.forEach((subnet, i) => {
    const problem = ipOrCidrProblem(subnet);
    if (problem) f.invalid([...at, 'destinationSubnets', i], problem);
  });
  if (m.port !== undefined && m.port !== 0) checkPort(f, [...at, 'port'], m.port);
  checkLabels(f, [...at, 'sourceLabels'], m.sourceLabels);
  checkGatewayNames(f, [...at, 'gateways'], m.gateways ?? []);
}

export function checkTlsMatch(f: Findings, at: Path, m: TLSMatchAttributes, hosts: string[]): void {
  if (!m.sniHosts?.length) f.required([...at, 'sniHosts'], 'TLS match must have at least one SNI host');
  m.sniHosts?.forEach((sni, i) => {
    const problem = wildcardDomainProblem(sni);
    if (problem) {
      if (isIpAddress(sni)) {
        f.warn(
          [...at, 'sniHosts', i],
          `using an IP address ("${sni}") goes against SNI spec and most clients do not support this`,
        );
      } else f.invalid([...at, 'sniHosts', i], problem);
      return;
    }
    const covered = hosts.some(
      (h) =>
        h.toLowerCase() === sni.toLowerCase() ||
        (h.startsWith('*') && sni.toLowerCase().endsWith(h.slice(1).toLowerCase())),
    );
    if (!covered) {
      f.invalid(
        [...at, 'sniHosts', i],
        `SNI host "${sni}" is not a compatible subset of any of the virtual service hosts: [${hosts.join(', ')}]`,
      );
    }
  });
  checkL4Match(f, at, {
    destinationSubnets: m.destinationSubnets,
    port: m.port,
    sourceLabels: m.sourceLabels,
    gateways: m.gateways,
  });
}

const CORS_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  '*',
]);

export function checkCors(f: Findings, at: Path, cors: CorsPolicy | undefined): void {
  if (!cors) return;
  cors.allowOrigins?.forEach((origin, i) => {
    const value = origin.exact ?? origin.prefix ?? origin.regex ?? '';
    if (value === '')
      f.invalid([...at, 'allowOrigins', i], `'' is not a valid match type for CORS allow origins`);
    else checkStringMatch(f, [...at, 'allowOrigins', i], origin);
  });
  cors.allowMethods?.forEach((m, i) => {
    if (!CORS_METHODS.has(m))
      f.notSupported([...at, 'allowMethods', i], `"${m}" is not a supported HTTP method`);
  });
  for (const field of ['allowHeaders', 'exposeHeaders'] as const) {
    cors[field]?.forEach((name, i) => {
      const problem = corsHeaderNameProblem(name);
      if (problem) f.invalid([...at, field, i], problem);
    });
  }
  if (cors.maxAge !== undefined) {
    checkDuration(f, [...at, 'maxAge'], cors.maxAge);
    const d = parseDuration(cors.maxAge);
    if (d.ok && d.ms % 1000 !== 0) {
      f.invalid([...at, 'maxAge'], 'max_age duration is accurate only to seconds precision');
    }
  }
}
