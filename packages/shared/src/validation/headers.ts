import type { IstioHeaders } from '../resources';
import type { Findings, Path } from './causes';
import { HTTP_TOKEN } from './names';

/** Header names and values in header operations and matches (Istio's header validators). */

const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);
// Control characters other than tab are refused in values (protoc-gen-validate's header rule).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters.
const BAD_VALUE = /[\u0000-\u0008\u000A-\u001F\u007F]/;

const isInternal = (name: string) => name.startsWith(':') || name.toLowerCase() === 'host';
const isAuthority = (name: string) => name.toLowerCase() === ':authority' || name.toLowerCase() === 'host';

/** `@request.auth.claims.NAME` / `@request.auth.claims[NAME]`: JWT claim routing, gateways only. */
export function isJwtClaimHeader(name: string): boolean {
  return name.startsWith('@request.auth.claims.') || name.startsWith('@request.auth.claims[');
}

export function matchHeaderNameProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (isJwtClaimHeader(name) || PSEUDO_HEADERS.has(name)) return undefined;
  return HTTP_TOKEN.test(name) ? undefined : `header name ${name} is not a valid header name`;
}

/** Envoy's %COMMAND% syntax: a lone '%' must be escaped as '%%'. */
function headerValueProblem(value: string): string | undefined {
  if (BAD_VALUE.test(value)) return `header value configuration ${value} is invalid`;
  let i = 0;
  while (i < value.length) {
    if (value[i] !== '%') {
      i++;
      continue;
    }
    if (value[i + 1] === '%') {
      i += 2;
      continue;
    }
    const end = value.indexOf('%', i + 1);
    if (end < 0)
      return `header value configuration: unterminated '%' in "${value}" (write %% for a literal %)`;
    i = end + 1;
  }
  return undefined;
}

/** Request set/add may touch :authority/host (checked once elsewhere); the rest may not. */
export function checkHeaderOperations(f: Findings, path: Path, headers: IstioHeaders | undefined): void {
  const request = headers?.request;
  const response = headers?.response;
  for (const op of ['set', 'add'] as const) {
    for (const [name, value] of Object.entries(request?.[op] ?? {})) {
      const at = [...path, 'request', op, name];
      if (name === '') f.invalid(at, 'header name cannot be empty');
      else if (isInternal(name) && !isAuthority(name))
        f.invalid(at, `invalid header "${name}": header cannot have ":" prefix`);
      const problem = headerValueProblem(value);
      if (problem) f.invalid(at, problem);
    }
    for (const [name, value] of Object.entries(response?.[op] ?? {})) {
      const at = [...path, 'response', op, name];
      const problem = operationNameProblem(name) ?? headerValueProblem(value);
      if (problem) f.invalid(at, problem);
    }
  }
  request?.remove?.forEach((name, i) => {
    const problem = operationNameProblem(name);
    if (problem) f.invalid([...path, 'request', 'remove', i], problem);
  });
  response?.remove?.forEach((name, i) => {
    const problem = operationNameProblem(name);
    if (problem) f.invalid([...path, 'response', 'remove', i], problem);
  });
}

function operationNameProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name.toLowerCase() === 'host') return `invalid header "${name}": cannot set Host header`;
  if (isInternal(name)) return `invalid header "${name}": header cannot have ":" prefix`;
  return undefined;
}

/** Istio allows the authority to be rewritten in one place only. */
export function authorityRewriteProblem(
  rewriteAuthority: string | undefined,
  headers: IstioHeaders | undefined,
) {
  let current = rewriteAuthority ?? '';
  for (const op of ['set', 'add'] as const) {
    for (const [name, value] of Object.entries(headers?.request?.[op] ?? {})) {
      if (!isAuthority(name)) continue;
      if (current !== '') {
        return `authority header cannot be set multiple times: have "${current}", attempting to set "${value}"`;
      }
      current = value;
    }
  }
  return undefined;
}

export function corsHeaderNameProblem(name: string): string | undefined {
  if (name === '') return 'header name cannot be empty';
  if (name === '*') return undefined;
  return HTTP_TOKEN.test(name) ? undefined : `header name ${name} is not a valid header name`;
}
