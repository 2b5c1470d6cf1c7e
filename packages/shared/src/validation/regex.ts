import { RE2 } from 're2-wasm';

/**
 * Istio refuses regexes longer than 1,024 characters: Envoy bounds the RE2 program size and
 * length is a lower bound for it (pkg/config/validation validateStringRegexp).
 */
export const MAX_REGEX_LENGTH = 1024;

/** Answers for recent regexes: the same routes are re-validated on every write and analysis. */
const cache = new Map<string, string | undefined>();
const CACHE_SIZE = 1000;

/** Why a regex is refused, or undefined when Envoy's RE2 accepts it. */
export function regexProblem(re: string): string | undefined {
  if (re.length > MAX_REGEX_LENGTH) return `regex is too large, max length allowed is ${MAX_REGEX_LENGTH}`;
  if (cache.has(re)) return cache.get(re);
  const problem = compileProblem(re);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value ?? '');
  cache.set(re, problem);
  return problem;
}

/** re2-wasm's embind handle; Node has no FinalizationGroup, so it must be freed by hand. */
type Handle = { wrapper?: { delete?: () => void } };

function compileProblem(re: string): string | undefined {
  try {
    // The 'u' flag is required by re2-wasm; RE2 itself is always Unicode-aware.
    const compiled = new RE2(re, 'u') as unknown as Handle;
    compiled.wrapper?.delete?.();
    return undefined;
  } catch (e) {
    const detail =
      e instanceof Error ? e.message.replace(/^Invalid regular expression: \/.*\/u: /s, '') : String(e);
    return `${detail}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`;
  }
}
