/**
 * AuthorizationPolicy string forms (Istio): exact `x`, prefix `x*`, suffix `*x`, presence `*`.
 * A field with `values` and `notValues` matches when one of the values does and none of the
 * notValues does. An absent value (a plaintext caller has no principal) matches no form, so
 * `principals: ["*"]` requires mTLS while `notPrincipals: ["x"]` holds for plaintext, as in Istio.
 */
import type { StringPattern } from '@trellis/shared';

enum Kind {
  Exact = 0,
  Prefix = 1,
  Suffix = 2,
  Presence = 3,
}

interface Form {
  readonly kind: Kind;
  readonly s: string;
}

export interface CompiledPattern {
  readonly values: readonly Form[];
  readonly notValues: readonly Form[];
}

function form(v: string, lower: boolean): Form {
  const x = lower ? v.toLowerCase() : v;
  if (x === '*') return { kind: Kind.Presence, s: '' };
  if (x.startsWith('*')) return { kind: Kind.Suffix, s: x.slice(1) };
  if (x.endsWith('*')) return { kind: Kind.Prefix, s: x.slice(0, -1) };
  return { kind: Kind.Exact, s: x };
}

/** `lower`: compare case-insensitively (hosts); the request side must then be lowercase too. */
export function compilePattern(p: StringPattern, lower = false): CompiledPattern {
  return { values: p.values.map((v) => form(v, lower)), notValues: p.notValues.map((v) => form(v, lower)) };
}

function one(f: Form, v: string): boolean {
  switch (f.kind) {
    case Kind.Exact:
      return v === f.s;
    case Kind.Prefix:
      return v.startsWith(f.s);
    case Kind.Suffix:
      return v.endsWith(f.s);
    case Kind.Presence:
      return v.length > 0;
  }
}

function any(forms: readonly Form[], v: string | null): boolean {
  if (v === null) return false;
  for (const f of forms) if (one(f, v)) return true;
  return false;
}

export function matches(p: CompiledPattern, v: string | null): boolean {
  if (p.values.length > 0 && !any(p.values, v)) return false;
  return !any(p.notValues, v);
}

/** For fields where a request has several equivalent values (a host with and without its port). */
export function matchesAnyOf(p: CompiledPattern, a: string | null, b: string | null): boolean {
  if (p.values.length > 0 && !any(p.values, a) && !any(p.values, b)) return false;
  return !any(p.notValues, a) && !any(p.notValues, b);
}
