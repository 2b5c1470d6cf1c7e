/**
 * The inbound policy layers (startProxy's `inboundPolicy`): path normalisation, then
 * AuthorizationPolicy. Both sit after the caller is known (peer identity) and before the app.
 */
import type { InboundConfig } from '@trellis/shared';
import type { Call } from '../http/call';
import type { Layer } from '../layers/types';
import type { Stats } from '../stats';
import { LocalReply } from '../upstream/outcome';
import { normalizePath } from './normalize';
import { Authorizer, type AuthzRequest } from './policy';

// Envoy's RBAC filter answers exactly this; clients and tests written for Istio look for it.
export const RBAC_DENIED_BODY = 'RBAC: access denied';
const DENIED = Promise.resolve(new LocalReply(403, null, RBAC_DENIED_BODY));
const BAD_PATH = Promise.resolve(new LocalReply(400, null, 'Bad Request: the path contains %00\n'));

/** Envoy's normalize_path on the inbound side: the policy and the app see the same path. */
export const pathNormalizationLayer: Layer = (next) => (call) => {
  const p = normalizePath(call.path);
  if (p === null) return BAD_PATH;
  call.path = p;
  return next(call);
};

export interface AuthorizationLayerOptions {
  /** This workload's service ports: a policy's `ports` may name them as well as the app's port. */
  servicePorts: readonly number[];
  stats?: Stats;
}

/** AuthorizationPolicy, from the config the request started with (compiled once per config). */
export function authorizationLayer(o: AuthorizationLayerOptions): Layer {
  const servicePorts = new Set(o.servicePorts.map(String));
  let compiledFor: InboundConfig | null = null;
  let authorizer = new Authorizer([]);
  return (next) => (call) => {
    const inbound = call.config.inbound;
    if (inbound !== compiledFor) {
      authorizer = new Authorizer(inbound.authorization);
      compiledFor = inbound;
    }
    if (authorizer.empty) return next(call);
    const d = authorizer.decide(authzRequest(call, servicePorts));
    if (d.allowed) {
      o.stats?.inc('inbound.rbac.allowed');
      return next(call);
    }
    o.stats?.inc('inbound.rbac.denied');
    return DENIED;
  };
}

/** The request as a policy sees it. The principal comes from the verified certificate only. */
export function authzRequest(call: Call, servicePorts: ReadonlySet<string>): AuthzRequest {
  const spiffe = call.mtls ? (call.source?.principal ?? null) : null;
  const principal = spiffe?.startsWith('spiffe://') ? spiffe.slice(9) : null;
  const path = call.path;
  const q = path.indexOf('?');
  const authority = call.ex.authority;
  const colon = authority.lastIndexOf(':');
  const hostPort = colon > 0 && authority.indexOf(']', colon) < 0 ? authority.slice(colon + 1) : null;
  return {
    principal,
    namespace: principal === null ? null : namespaceOf(principal),
    path: q < 0 ? path : path.slice(0, q),
    method: call.ex.method,
    host: authority,
    port: String(call.config.inbound.appPort),
    servicePort: hostPort !== null && servicePorts.has(hostPort) ? hostPort : null,
  };
}

/** "cluster.local/ns/default/sa/x" → "default" (Istio derives source.namespace the same way). */
function namespaceOf(principal: string): string | null {
  const at = principal.indexOf('/ns/');
  if (at < 0) return null;
  const end = principal.indexOf('/', at + 4);
  return end < 0 ? null : principal.slice(at + 4, end);
}
