import { checkSplit } from '../weights';
import type { DestinationRuleObject } from './schemas';
import { fqdnOf, serviceFqdn } from './split-view';

export const NETWORKING_V1 = 'networking.istio.io/v1';

/** A Kubernetes label value (what a `version` label may be, so a subset may select it). */
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** A subset name as the console names them: the version, when it is a DNS label. */
const SUBSET_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface NewObject {
  apiVersion: string;
  kind: 'DestinationRule' | 'VirtualService';
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown>;
}

export type Cause = { field: string; message: string };

export type TrafficShiftPlan =
  | {
      ok: true;
      /** null: an existing DestinationRule for the host already has a subset per version. */
      destinationRule: NewObject | null;
      /** The existing rule the VirtualService's subsets come from, when one is used. */
      existingRule: { namespace: string; name: string } | null;
      virtualService: NewObject;
    }
  | { ok: false; causes: Cause[] };

/** The subset of `rule` that selects exactly version=V (its only label or alongside others). */
function subsetFor(rule: DestinationRuleObject, version: string): string | null {
  const found = (rule.spec.subsets ?? []).find((s) => s.labels?.version === version);
  return found?.name ?? null;
}

/**
 * The DestinationRule (one subset per version, named after it) and VirtualService (one route, one
 * destination per subset with its weight) that start traffic shifting for a service no
 * VirtualService routes yet, as Kiali's Traffic Shifting wizard writes them. An existing
 * DestinationRule for the service's host is used instead of a new one when it has a subset for
 * every version; otherwise it is refused rather than edited (another owner's rule, and two rules
 * for one host would not merge). Pure: `rules` is every DestinationRule the control plane holds.
 */
export function planTrafficShift(input: {
  namespace: string;
  service: string;
  versions: string[];
  weights: number[];
  rules: DestinationRuleObject[];
}): TrafficShiftPlan {
  const { namespace, service, versions, weights, rules } = input;
  const causes: Cause[] = [];
  if (versions.length !== weights.length)
    causes.push({
      field: 'weights',
      message: `${weights.length} weights for ${versions.length} versions`,
    });
  else {
    const check = checkSplit(weights);
    if (!check.ok) causes.push({ field: 'spec.http[0].route', message: check.problem });
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) causes.push({ field: `versions[${i}]`, message: `version ${v} is listed twice` });
    seen.add(v);
    if (!LABEL_VALUE_RE.test(v) || v.length === 0 || v.length > 63)
      causes.push({ field: `versions[${i}]`, message: `${JSON.stringify(v)} is not a label value` });
  });
  if (causes.length > 0) return { ok: false, causes };

  const fqdn = serviceFqdn(namespace, service);
  const existing = rules.find((r) => r.spec.host && fqdnOf(r.spec.host, r.metadata.namespace) === fqdn);
  let subsets: string[];
  let destinationRule: NewObject | null = null;
  if (existing) {
    const found = versions.map((v) => subsetFor(existing, v));
    found.forEach((s, i) => {
      if (s === null)
        causes.push({
          field: `versions[${i}]`,
          message: `DestinationRule ${existing.metadata.namespace}/${existing.metadata.name} for ${fqdn} has no subset selecting version=${versions[i]}: add one there, or delete that rule to let the console create it`,
        });
    });
    if (causes.length > 0) return { ok: false, causes };
    subsets = found.filter((s): s is string => s !== null);
  } else {
    versions.forEach((v, i) => {
      if (!SUBSET_RE.test(v))
        causes.push({
          field: `versions[${i}]`,
          message: `version ${v} cannot name a subset (lower-case letters, digits and '-')`,
        });
    });
    if (causes.length > 0) return { ok: false, causes };
    subsets = versions;
    destinationRule = {
      apiVersion: NETWORKING_V1,
      kind: 'DestinationRule',
      metadata: { name: service, namespace },
      spec: { host: service, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) },
    };
  }
  return {
    ok: true,
    destinationRule,
    existingRule: existing ? { namespace: existing.metadata.namespace, name: existing.metadata.name } : null,
    virtualService: {
      apiVersion: NETWORKING_V1,
      kind: 'VirtualService',
      metadata: { name: service, namespace },
      spec: {
        hosts: [service],
        http: [
          {
            route: subsets.map((subset, i) => ({
              destination: { host: service, subset },
              weight: weights[i] ?? 0,
            })),
          },
        ],
      },
    },
  };
}
