import type { AuthorizationCondition, AuthorizationSource } from '../resources';
import type { Findings, Path } from './causes';
import { ipOrCidrProblem } from './names';

/** Value rules of AuthorizationPolicy (istio pkg/config/security). */

// RFC 3986 pchar, which Envoy's path templates require of literal segments.
const PCHAR = /^[a-zA-Z0-9-._~%!$&'()+,;:@=]+$/;

/**
 * Paths are exact ("/a"), prefix ("/a/*"), suffix ("*.html"), presence ("*"), or templates
 * ("/a/{*}/b/{**}"). Templates are checked as Istio does; a path that is none of these forms
 * never matches a request (paths always start with "/"), which Istio accepts silently and we
 * report as a warning.
 */
export function checkPaths(f: Findings, at: Path, paths: string[] | undefined): void {
  paths?.forEach((path, i) => {
    const problem = templateProblem(path);
    if (problem) f.invalid([...at, i], problem);
    else if (path !== '' && !path.startsWith('/') && !path.startsWith('*')) {
      f.warn([...at, i], `path "${path}" does not start with "/" or "*" and will never match a request`);
    }
  });
}

function templateProblem(path: string): string | undefined {
  const isTemplate = path.includes('{*}') || path.includes('{**}');
  let sawAny = false;
  for (const glob of path.replace(/^\/+|\/+$/g, '').split('/')) {
    if ((glob === '{*}' || glob === '{**}') && sawAny)
      return `invalid or unsupported path ${path}: {**} is not the last operator`;
    if (glob === '{**}') sawAny = true;
    if (glob === '{*}' || glob === '{**}') continue;
    if (/[{}]/.test(glob))
      return `invalid or unsupported path ${path}: contains '{' or '}' beyond a supported path template`;
    if (isTemplate && !PCHAR.test(glob))
      return `invalid or unsupported path ${path}: segment ${glob} is not a valid literal`;
  }
  return undefined;
}

export function checkServiceAccounts(f: Findings, at: Path, src: AuthorizationSource): void {
  for (const key of ['serviceAccounts', 'notServiceAccounts'] as const) {
    const values = src[key];
    if (!values) continue;
    if (values.length > 16) f.invalid([...at, key], 'may not have more than 16 values');
    values.forEach((v, i) => {
      const problem = serviceAccountProblem(v, key);
      if (problem) f.invalid([...at, key, i], problem);
    });
  }
}

function serviceAccountProblem(value: string, key: string): string | undefined {
  if (value === '') return `empty value not allowed, found in ${key}`;
  if (value.includes('*')) return `wildcard not allowed, found in ${key}`;
  if (value.length > 320) return `value cannot exceed 320 characters, found in ${key}`;
  const parts = value.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    return `expected format 'serviceAccount' or 'namespace/serviceAccount', found "${value}" in ${key}`;
  }
  return undefined;
}

function wildcardProblem(value: string, key: string): string | undefined {
  if (value === '') return `empty value not allowed, found in ${key}`;
  const count = value.split('*').length - 1;
  if (count > 1) return `at most one wildcard is allowed, found in ${key}: "${value}"`;
  if (count === 1 && value !== '*' && !value.startsWith('*') && !value.endsWith('*')) {
    return `wildcard is only allowed at the start or end, found in ${key}: "${value}"`;
  }
  return undefined;
}

export function checkTrustDomains(f: Findings, at: Path, src: AuthorizationSource): void {
  for (const key of ['trustDomains', 'notTrustDomains'] as const) {
    src[key]?.forEach((v, i) => {
      const problem =
        wildcardProblem(v, key) ??
        (v.includes('/') ? `trust domain must not contain '/', found in ${key}: "${v}"` : undefined);
      if (problem) f.invalid([...at, key, i], problem);
    });
  }
}

const PLAIN_KEYS = new Set([
  'source.namespace',
  'source.principal',
  'request.auth.principal',
  'request.auth.audiences',
  'request.auth.presenter',
  'connection.sni',
]);

/** `key[name]` form, as request.headers[User-Agent]. */
const hasMapKey = (key: string) => {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2;
};

/** Istio's ValidateAttribute: the condition keys Envoy's RBAC filter understands. */
export function checkCondition(f: Findings, at: Path, c: AuthorizationCondition): void {
  const key = c.key ?? '';
  if (key === '') {
    f.required([...at, 'key'], '`key` must not be empty');
    return;
  }
  if (!c.values?.length && !c.notValues?.length) {
    f.required(at, `at least one of \`values\` or \`notValues\` must be set for key ${key}`);
    return;
  }
  const keyProblem = conditionKeyProblem(key);
  if (keyProblem) {
    f.invalid([...at, 'key'], keyProblem);
    return;
  }
  for (const field of ['values', 'notValues'] as const) {
    c[field]?.forEach((v, i) => {
      const problem = conditionValueProblem(key, v);
      if (problem) f.invalid([...at, field, i], `invalid value for key ${key}: ${problem}`);
    });
  }
}

function conditionKeyProblem(key: string): string | undefined {
  const prefixed = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];
  if (prefixed.some((p) => key.startsWith(p)))
    return hasMapKey(key) ? undefined : `bad key (${key}): should have format a[b]`;
  if (
    PLAIN_KEYS.has(key) ||
    [
      'source.ip',
      'remote.ip',
      'destination.ip',
      'destination.port',
      'source.serviceAccount',
      'source.trustDomain',
    ].includes(key)
  ) {
    return undefined;
  }
  if (key === 'destination.namespace') return `attribute ${key} is replaced by the metadata.namespace`;
  if (key.startsWith('destination.labels')) return `attribute ${key} is replaced by the workload selector`;
  if (key === 'destination.name' || key === 'destination.user')
    return `deprecated attribute ${key}: only supported in v1alpha1`;
  return `unknown attribute: ${key}`;
}

function conditionValueProblem(key: string, value: string): string | undefined {
  if (value === '') return 'empty value not allowed';
  if (key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip') return ipOrCidrProblem(value);
  if (key === 'destination.port') {
    return /^\d+$/.test(value) && Number(value) <= 65535 ? undefined : `bad port (${value})`;
  }
  if (key === 'source.serviceAccount') return serviceAccountProblem(value, key);
  if (key === 'source.trustDomain') return wildcardProblem(value, key);
  return undefined;
}
