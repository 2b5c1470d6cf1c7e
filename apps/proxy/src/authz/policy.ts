/**
 * AuthorizationPolicy evaluation as Istio's sidecar does it (Envoy RBAC filters, DENY before
 * ALLOW): a request matching any rule of a DENY policy is denied; otherwise, if no ALLOW policy
 * selects the workload it is allowed; otherwise it is allowed only when a rule of an ALLOW policy
 * matches (an ALLOW policy with no rules allows nothing).
 *
 * Within a rule: one of `from` AND one of `to` (an empty list matches anything); within one source
 * or operation every field present must match. Policies arrive already filtered by selector and
 * with unsupported conditions handled (apps/controlplane/src/translate/authz.ts).
 */
import type { AuthorizationPolicyConfig, AuthorizationRule } from '@trellis/shared';
import { type CompiledPattern, compilePattern, matches, matchesAnyOf } from './pattern';

/** What a rule can look at, for one request. */
export interface AuthzRequest {
  /** Istio principal form `TD/ns/NS/sa/SA` from the verified peer certificate; null without mTLS. */
  principal: string | null;
  /** The caller's namespace, from the principal; null without mTLS. */
  namespace: string | null;
  /** Normalised path without the query. */
  path: string;
  method: string;
  /** Host / :authority, lowercase, as sent (may carry a port). */
  host: string;
  /** The destination port: the app's port. */
  port: string;
  /** The service port the caller addressed (from the authority) when it is one of this workload's; else null. */
  servicePort: string | null;
}

interface CompiledSource {
  principals: CompiledPattern | null;
  namespaces: CompiledPattern | null;
}

interface CompiledOperation {
  paths: CompiledPattern | null;
  methods: CompiledPattern | null;
  hosts: CompiledPattern | null;
  ports: CompiledPattern | null;
}

interface CompiledRule {
  from: CompiledSource[];
  to: CompiledOperation[];
}

interface CompiledPolicy {
  name: string;
  rules: CompiledRule[];
}

export type AuthzDecision = { allowed: true } | { allowed: false; policy: string | null };

const ALLOWED: AuthzDecision = { allowed: true };
const NOT_ALLOWED: AuthzDecision = { allowed: false, policy: null };

export class Authorizer {
  readonly #deny: CompiledPolicy[];
  readonly #allow: CompiledPolicy[];
  /** True when no policy selects the workload: nothing to check. */
  readonly empty: boolean;

  constructor(policies: readonly AuthorizationPolicyConfig[]) {
    this.#deny = policies.filter((p) => p.action === 'DENY').map(compilePolicy);
    this.#allow = policies.filter((p) => p.action === 'ALLOW').map(compilePolicy);
    this.empty = policies.length === 0;
  }

  decide(r: AuthzRequest): AuthzDecision {
    for (const p of this.#deny)
      for (const rule of p.rules) if (ruleMatches(rule, r)) return { allowed: false, policy: p.name };
    if (this.#allow.length === 0) return ALLOWED;
    for (const p of this.#allow) for (const rule of p.rules) if (ruleMatches(rule, r)) return ALLOWED;
    return NOT_ALLOWED;
  }
}

function opt(
  p: { values: string[]; notValues: string[] } | undefined,
  lower = false,
): CompiledPattern | null {
  return p ? compilePattern(p, lower) : null;
}

function compileRule(rule: AuthorizationRule): CompiledRule {
  return {
    from: rule.from.map((f) => ({ principals: opt(f.principals), namespaces: opt(f.namespaces) })),
    to: rule.to.map((t) => ({
      paths: opt(t.paths),
      methods: opt(t.methods),
      hosts: opt(t.hosts, true),
      ports: opt(t.ports),
    })),
  };
}

function compilePolicy(p: AuthorizationPolicyConfig): CompiledPolicy {
  return { name: p.name, rules: p.rules.map(compileRule) };
}

function sourceMatches(s: CompiledSource, r: AuthzRequest): boolean {
  if (s.principals !== null && !matches(s.principals, r.principal)) return false;
  if (s.namespaces !== null && !matches(s.namespaces, r.namespace)) return false;
  return true;
}

function hostWithoutPort(h: string): string | null {
  // "[::1]:80" and "a:80" have a port; a bare IPv6 literal "[::1]" does not.
  const colon = h.lastIndexOf(':');
  if (colon < 0 || h.indexOf(']', colon) >= 0) return null;
  return h.slice(0, colon);
}

function operationMatches(o: CompiledOperation, r: AuthzRequest): boolean {
  if (o.paths !== null && !matches(o.paths, r.path)) return false;
  if (o.methods !== null && !matches(o.methods, r.method)) return false;
  // Istio compares hosts case-insensitively; "reviews" also matches "reviews:9080".
  if (o.hosts !== null && !matchesAnyOf(o.hosts, r.host, hostWithoutPort(r.host))) return false;
  if (o.ports !== null && !matchesAnyOf(o.ports, r.port, r.servicePort)) return false;
  return true;
}

function ruleMatches(rule: CompiledRule, r: AuthzRequest): boolean {
  if (rule.from.length > 0 && !rule.from.some((s) => sourceMatches(s, r))) return false;
  if (rule.to.length > 0 && !rule.to.some((o) => operationMatches(o, r))) return false;
  return true;
}
