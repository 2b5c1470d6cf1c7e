import type {
  AuthorizationOperation,
  AuthorizationPolicyConfig,
  AuthorizationPolicyResource,
  AuthorizationPolicyRule,
  AuthorizationRule,
  AuthorizationSource,
  ProxyIdentity,
  StringPattern,
} from '@trellis/shared';
import { selects } from './labels';
import type { MeshIndex } from './mesh-index';

function pattern(values: string[] | undefined, notValues: string[] | undefined): StringPattern | undefined {
  if ((values?.length ?? 0) === 0 && (notValues?.length ?? 0) === 0) return undefined;
  return { values: [...(values ?? [])], notValues: [...(notValues ?? [])] };
}

// Conditions Trellis cannot evaluate yet (JWT, IP blocks, `when` keys).
const UNSUPPORTED_SOURCE: (keyof AuthorizationSource)[] = [
  'requestPrincipals',
  'notRequestPrincipals',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
];

function hasUnsupported(rule: AuthorizationPolicyRule): boolean {
  if ((rule.when?.length ?? 0) > 0) return true;
  return (rule.from ?? []).some((f) => UNSUPPORTED_SOURCE.some((k) => (f.source?.[k]?.length ?? 0) > 0));
}

/** Istio's `serviceAccounts: ["ns/sa"]` is a principal in the mesh's trust domain. */
function accountPrincipals(accounts: string[] | undefined, trustDomain: string): string[] | undefined {
  return accounts?.map((a) => {
    const [ns, sa] = a.includes('/') ? a.split('/', 2) : ['*', a];
    return `${trustDomain}/ns/${ns}/sa/${sa}`;
  });
}

function source(s: AuthorizationSource | undefined, trustDomain: string): AuthorizationRule['from'][number] {
  const principals = pattern(
    [...(s?.principals ?? []), ...(accountPrincipals(s?.serviceAccounts, trustDomain) ?? [])],
    [...(s?.notPrincipals ?? []), ...(accountPrincipals(s?.notServiceAccounts, trustDomain) ?? [])],
  );
  const namespaces = pattern(s?.namespaces, s?.notNamespaces);
  return { ...(principals ? { principals } : {}), ...(namespaces ? { namespaces } : {}) };
}

function operation(o: AuthorizationOperation | undefined): AuthorizationRule['to'][number] {
  const out: AuthorizationRule['to'][number] = {};
  const paths = pattern(o?.paths, o?.notPaths);
  const methods = pattern(o?.methods, o?.notMethods);
  const hosts = pattern(o?.hosts, o?.notHosts);
  const ports = pattern(o?.ports, o?.notPorts);
  if (paths) out.paths = paths;
  if (methods) out.methods = methods;
  if (hosts) out.hosts = hosts;
  if (ports) out.ports = ports;
  return out;
}

/**
 * Whether a policy applies to this workload: policies in its namespace and in the root namespace
 * (mesh-wide), narrowed by `selector`. targetRef(s) attach to waypoints/gateways, not sidecars.
 */
export function policySelects(
  ap: AuthorizationPolicyResource,
  proxy: ProxyIdentity,
  rootNamespace: string,
): boolean {
  const ns = ap.metadata.namespace;
  if (ns !== proxy.namespace && ns !== rootNamespace) return false;
  if (ap.spec.targetRef || (ap.spec.targetRefs?.length ?? 0) > 0) return false;
  return selects(ap.spec.selector?.matchLabels, proxy.labels);
}

/**
 * One policy → AuthorizationPolicyConfig, or undefined for actions a sidecar does not enforce
 * (AUDIT, CUSTOM). A rule with conditions Trellis cannot check fails closed, as Istio does: in an
 * ALLOW policy the rule is dropped (never matches); in a DENY policy only the condition is dropped
 * (the rule matches more).
 */
export function authorizationConfig(
  ap: AuthorizationPolicyResource,
  trustDomain: string,
): AuthorizationPolicyConfig | undefined {
  const action = ap.spec.action ?? 'ALLOW';
  if (action !== 'ALLOW' && action !== 'DENY') return undefined;
  const rules: AuthorizationRule[] = [];
  for (const rule of ap.spec.rules ?? []) {
    if (action === 'ALLOW' && hasUnsupported(rule)) continue;
    rules.push({
      from: (rule.from ?? []).map((f) => source(f.source, trustDomain)),
      to: (rule.to ?? []).map((t) => operation(t.operation)),
    });
  }
  return { name: `${ap.metadata.namespace}/${ap.metadata.name}`, action, rules };
}

export function authorizationFor(index: MeshIndex, proxy: ProxyIdentity): AuthorizationPolicyConfig[] {
  const out: AuthorizationPolicyConfig[] = [];
  for (const ap of index.authorizationPolicies) {
    if (!policySelects(ap, proxy, index.settings.rootNamespace)) continue;
    const cfg = authorizationConfig(ap, index.settings.trustDomain);
    if (cfg) out.push(cfg);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
