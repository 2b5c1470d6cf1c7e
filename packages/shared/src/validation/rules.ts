import { parseDuration } from '../duration';
import type { IstioStringMatch, Percent, WorkloadSelector } from '../resources';
import type { Findings, Path } from './causes';
import { labelKeyProblem, labelValueProblem } from './names';
import { regexProblem } from './regex';

/** Field checks shared by the kinds, each worded as Istio's validation words it. */

/** Istio's ValidateDuration: at least 1 ms, whole milliseconds. `allowZero` where 0 means "off". */
export function checkDuration(f: Findings, path: Path, value: string | undefined, allowZero = false): void {
  if (value === undefined) return;
  const d = parseDuration(value);
  if (!d.ok) f.invalid(path, d.message);
  else if (d.ms < 1 && !(allowZero && d.ms === 0)) f.invalid(path, 'duration must be at least 1ms');
}

export function checkPort(f: Findings, path: Path, port: number | undefined): void {
  if (port === undefined) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    f.invalid(path, `port number ${port} must be in the range 1..65535`);
  }
}

/** An integer percentage (deprecated `percent` fields, outlier detection). */
export function checkIntPercent(f: Findings, path: Path, value: number | undefined): void {
  if (value === undefined) return;
  if (value < 0 || value > 100) f.invalid(path, `percentage ${value} is not in range 0..100`);
}

/** Istio's Percent: 0, or within [0.0001, 100] (Envoy's fractional percent resolution). */
export function checkPercentage(f: Findings, path: Path, p: Percent | undefined): void {
  const value = p?.value;
  if (value === undefined) return;
  if (value < 0 || value > 100 || (value > 0 && value < 0.0001)) {
    f.invalid([...path, 'value'], `percentage ${value} is neither 0.0, nor in range [0.0001, 100.0]`);
  }
}

export function checkRegex(f: Findings, path: Path, re: string): void {
  if (re === '') {
    f.required(path, 'regex string match should not be empty');
    return;
  }
  const problem = regexProblem(re);
  if (problem) f.invalid(path, problem);
}

/**
 * StringMatch is a oneof: at most one of exact, prefix, regex. `allowEmptyPrefix` for uri
 * matches, where Envoy accepts an empty prefix and the others do not.
 */
export function checkStringMatch(
  f: Findings,
  path: Path,
  sm: IstioStringMatch | undefined,
  allowEmptyPrefix = false,
): void {
  if (sm === undefined) return;
  const set = (['exact', 'prefix', 'regex'] as const).filter((k) => sm[k] !== undefined);
  if (set.length > 1) {
    f.invalid(path, `only one of exact, prefix or regex may be set, found ${set.join(', ')}`);
  }
  if (sm.prefix === '' && !allowEmptyPrefix)
    f.invalid([...path, 'prefix'], 'prefix string match should not be empty');
  if (sm.regex !== undefined) checkRegex(f, [...path, 'regex'], sm.regex);
}

export function checkLabels(f: Findings, path: Path, labels: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    const problem = labelKeyProblem(k) ?? labelValueProblem(v);
    if (problem) f.invalid([...path, k], problem);
  }
}

/** Istio's validateWorkloadSelector: no empty keys, no wildcards; no labels is only a warning. */
export function checkWorkloadSelector(f: Findings, path: Path, selector: WorkloadSelector | undefined): void {
  if (selector === undefined) return;
  const labels = selector.matchLabels ?? {};
  for (const [k, v] of Object.entries(labels)) {
    const at = [...path, 'matchLabels', k];
    if (k === '') f.invalid(at, `empty key is not supported in selector: "${k}=${v}"`);
    else if (k.includes('*') || v.includes('*'))
      f.invalid(at, `wildcard is not supported in selector: "${k}=${v}"`);
    else {
      const problem = labelKeyProblem(k) ?? labelValueProblem(v);
      if (problem) f.invalid(at, problem);
    }
  }
  if (Object.keys(labels).length === 0) f.warn(path, 'workload selector specified without labels');
}

/** exportTo: ".", "*" or namespace names, no duplicates, "*" alone (Istio's validateExportTo). */
export function checkExportTo(
  f: Findings,
  path: Path,
  namespace: string,
  exportTo: string[] | undefined,
): void {
  if (!exportTo || exportTo.length === 0) return;
  const seen = new Set<string>();
  exportTo.forEach((e, i) => {
    const key = e === '.' ? namespace : e;
    if (seen.has(key)) {
      f.duplicate([...path, i], `duplicate entries in exportTo for entry ${e}`);
      return;
    }
    seen.add(key);
    if (e !== '.' && e !== '*' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(e)) {
      f.invalid([...path, i], `only . or * or a valid namespace name is allowed in exportTo, found ${e}`);
    }
  });
  if (seen.has('*') && exportTo.length > 1) {
    f.invalid(path, 'cannot have both public (*) and non-public exportTo values for a resource');
  }
}
