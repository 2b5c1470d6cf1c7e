/**
 * What the store asks of packages/shared before it writes: validateResource (blocking) and
 * analyze (non-blocking warnings about the written object). Both are injectable so tests and the
 * registry (which arrives later, from the config-push component) can be swapped in.
 */
import {
  type AnalysisMessage,
  analyze,
  DEFAULT_TRUST_DOMAIN,
  type MeshResource,
  type MeshSettings,
  type MeshSnapshot,
  type ResourceRef,
  ROOT_NAMESPACE,
  refKey,
  type ServiceRegistry,
  type ValidationResult,
  validateResource,
} from '@trellis/shared';
import type { FieldValidation } from './types';

export type Validator = (
  obj: unknown,
  options: { fieldValidation: FieldValidation; namespace: string },
) => ValidationResult;

export const defaultValidator: Validator = (obj, options) => validateResource(obj, options);

/** Where the analysis gets what is not a resource: the live registry and the mesh settings. */
export interface AnalysisSource {
  registry(): ServiceRegistry;
  settings(): MeshSettings;
}

export const DEFAULT_SETTINGS: MeshSettings = {
  rootNamespace: ROOT_NAMESPACE,
  trustDomain: DEFAULT_TRUST_DOMAIN,
  // Off by default, as in Istio: one JSON line per request costs the sidecars CPU and disk.
  accessLog: false,
  tracing: { samplingPercent: 1 },
};

/** Until a registry is wired in, analysis sees an empty mesh (no services, no endpoints). */
export const EMPTY_ANALYSIS_SOURCE: AnalysisSource = {
  registry: () => ({ services: [], endpoints: [] }),
  settings: () => DEFAULT_SETTINGS,
};

/** "[IST0101] spec.http[0].route[0].destination.host: Referenced host not found: ..." */
export function formatFinding(m: AnalysisMessage): string {
  return `[${m.code}] ${m.field ? `${m.field}: ` : ''}${m.message}`;
}

/**
 * analyze() on the mesh as it would be after the write, keeping the findings about `target`.
 * Info-level findings are left out: a write answer is no place for them.
 */
export function findingsFor(
  resources: readonly MeshResource[],
  target: ResourceRef,
  source: AnalysisSource,
  version: string,
): string[] {
  const snapshot: MeshSnapshot = {
    version,
    resources,
    registry: source.registry(),
    settings: source.settings(),
  };
  const key = refKey(target);
  return analyze(snapshot)
    .filter((m) => m.level !== 'Info' && refKey(m.resource) === key)
    .map(formatFinding);
}
