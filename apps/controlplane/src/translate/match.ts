import type {
  HeaderMatch,
  HTTPMatchRequest,
  IstioStringMatch,
  ProxyIdentity,
  RouteMatch,
  StringMatch,
} from '@trellis/shared';
import { selects } from './labels';

/**
 * Istio StringMatch → ProxyConfig StringMatch. An empty match, or regex "*", means "present"
 * (pilot canBeConvertedToPresentMatch), which we express as the regex ".*".
 */
export function stringMatch(m: IstioStringMatch | undefined): StringMatch | undefined {
  if (m === undefined) return undefined;
  if (m.exact !== undefined) return { exact: m.exact };
  if (m.prefix !== undefined) return { prefix: m.prefix };
  if (m.regex !== undefined && m.regex !== '*') return { regex: m.regex };
  return { regex: '.*' };
}

/**
 * Whether a match condition can apply to this proxy on this port (pilot sourceMatchHTTP plus the
 * port check): the proxy is a sidecar, so it only takes matches without gateways or naming "mesh".
 */
export function matchAppliesTo(m: HTTPMatchRequest, proxy: ProxyIdentity, port: number): boolean {
  if (m.port !== undefined && m.port !== 0 && m.port !== port) return false;
  if (m.gateways !== undefined && m.gateways.length > 0) return m.gateways.includes('mesh');
  if (!selects(m.sourceLabels, proxy.labels)) return false;
  return m.sourceNamespace === undefined || m.sourceNamespace === '' || m.sourceNamespace === proxy.namespace;
}

function headerMatches(
  headers: Record<string, IstioStringMatch> | undefined,
  invert: boolean,
): HeaderMatch[] {
  if (!headers) return [];
  return Object.keys(headers)
    .sort()
    .map((name) => {
      const match = stringMatch(headers[name]) ?? { regex: '.*' };
      return invert ? { name: name.toLowerCase(), match, invert: true } : { name: name.toLowerCase(), match };
    });
}

/** The request conditions of one match; sourceLabels, sourceNamespace, port and gateways were resolved already. */
export function routeMatch(m: HTTPMatchRequest): RouteMatch {
  const out: RouteMatch = {};
  const uri = stringMatch(m.uri);
  if (uri && !(m.uri && Object.keys(m.uri).length === 0)) out.uri = uri;
  const method = stringMatch(m.method);
  if (method && !(m.method && Object.keys(m.method).length === 0)) out.method = method;
  const headers = [...headerMatches(m.headers, false), ...headerMatches(m.withoutHeaders, true)];
  // Istio matches authority and scheme as the HTTP/2 pseudo-headers (pilot TranslateRouteMatch).
  const authority = stringMatch(m.authority);
  if (authority) headers.push({ name: ':authority', match: authority });
  const scheme = stringMatch(m.scheme);
  if (scheme) headers.push({ name: ':scheme', match: scheme });
  if (headers.length > 0) out.headers = headers;
  if (m.queryParams) {
    out.queryParams = Object.keys(m.queryParams)
      .sort()
      .map((name) => ({ name, match: stringMatch(m.queryParams?.[name]) ?? { regex: '.*' } }));
  }
  if (m.ignoreUriCase) out.ignoreUriCase = true;
  return out;
}
