/**
 * String matchers compiled once per config. Regexes use RE2 (re2-wasm) because Istio/Envoy
 * match with RE2: the same syntax is accepted or rejected, matching is full-string (Envoy's
 * safe_regex), and evil input cannot make matching exponential.
 */
import type { StringMatch } from '@trellis/shared';
import { RE2 } from 're2-wasm';

export interface Matcher {
  test(s: string): boolean;
}

class Exact implements Matcher {
  constructor(private readonly value: string) {}
  test(s: string): boolean {
    return s === this.value;
  }
}

class Prefix implements Matcher {
  constructor(private readonly value: string) {}
  test(s: string): boolean {
    return s.startsWith(this.value);
  }
}

class Regex implements Matcher {
  constructor(private readonly re: RE2) {}
  test(s: string): boolean {
    return this.re.test(s);
  }
}

export type CompileResult = { ok: true; matcher: Matcher } | { ok: false; message: string };

/** ignoreCase: exact/prefix values are lowercased here; callers pass lowercased input. */
export function compileMatch(m: StringMatch, ignoreCase = false): CompileResult {
  if ('exact' in m) return { ok: true, matcher: new Exact(ignoreCase ? m.exact.toLowerCase() : m.exact) };
  if ('prefix' in m) return { ok: true, matcher: new Prefix(ignoreCase ? m.prefix.toLowerCase() : m.prefix) };
  try {
    // Anchored: Envoy's safe_regex must match the whole value.
    return { ok: true, matcher: new Regex(new RE2(`^(?:${m.regex})$`, ignoreCase ? 'iu' : 'u')) };
  } catch (err) {
    return {
      ok: false,
      message: `invalid RE2 regex "${m.regex}": ${err instanceof Error ? err.message : err}`,
    };
  }
}

/** Prefix length when the matcher is a prefix (for prefix rewrites), else -1. */
export function prefixLength(m: StringMatch | undefined): number {
  return m && 'prefix' in m ? m.prefix.length : -1;
}
