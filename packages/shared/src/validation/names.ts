/**
 * Name and label rules, as Kubernetes and Istio define them (apimachinery validation,
 * istio pkg/config/labels, pkg/config/validation/agent).
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Istio's hostname labels also allow upper case (labels.IsDNS1123Label). */
const HOST_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** '*', or a label with a leading '*' or '*-'. */
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const QUALIFIED_NAME = /^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_KEY_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** Object names of custom resources: DNS-1123 subdomains. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')";
  }
  return undefined;
}

function dnsLabelsProblem(domain: string): string | undefined {
  const parts = domain.split('.');
  const top = parts[parts.length - 1] ?? '';
  if (/^\d+$/.test(top))
    return `domain name "${domain}" invalid (top level domain "${top}" cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    const label = parts[i] ?? '';
    // A trailing dot is allowed, for unambiguous names like "istio.io.".
    if (i === parts.length - 1 && label === '') return undefined;
    if (label.length > 63 || !HOST_LABEL.test(label))
      return `domain name "${domain}" invalid (label "${label}" invalid)`;
  }
  return undefined;
}

/** A hostname that may start with a wildcard label, as VirtualService hosts and destinations. */
export function wildcardDomainProblem(domain: string): string | undefined {
  if (domain.length === 0) return 'empty domain name not allowed';
  if (domain.length > 255) return `domain name "${domain}" too long (max 255)`;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !WILDCARD_LABEL.test(first)) {
    return `domain name "${domain}" invalid (label "${first}" invalid)`;
  }
  return dot < 0 ? undefined : dnsLabelsProblem(domain.slice(dot + 1));
}

export function isIpAddress(value: string): boolean {
  return isIpv4(value) || isIpv6(value);
}

function isIpv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function isIpv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':')) return false;
  const double = value.split('::');
  if (double.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(double[0] ?? '');
  const tail = groups(double[1] ?? '');
  const all = [...head, ...tail];
  const last = all[all.length - 1];
  const v4 = last?.includes('.') === true;
  if (v4 && !isIpv4(last ?? '')) return false;
  const hexGroups = v4 ? all.slice(0, -1) : all;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const size = hexGroups.length + (v4 ? 2 : 0);
  return double.length === 2 ? size < 8 : size === 8;
}

/** An IP address or a CIDR range, as AuthorizationPolicy ipBlocks take them. */
export function ipOrCidrProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return isIpAddress(value) ? undefined : `bad IP address (${value})`;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const max = isIpv4(ip) ? 32 : isIpv6(ip) ? 128 : -1;
  if (max < 0 || !/^\d{1,3}$/.test(bits) || Number(bits) > max) return `bad CIDR range (${value})`;
  return undefined;
}

/** Kubernetes label key: optional DNS-subdomain prefix and a qualified name. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (
    prefix !== undefined &&
    (prefix.length === 0 || prefix.length > 253 || !LABEL_KEY_PREFIX.test(prefix))
  ) {
    return `invalid tag key: "${key}" (prefix must be a DNS-1123 subdomain)`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `invalid tag key: "${key}"`;
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !QUALIFIED_NAME.test(value)) return `invalid tag value: "${value}"`;
  return undefined;
}

/** Header names as HTTP tokens (RFC 7230 tchar). */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
