/**
 * Istio's BASE path normalisation (meshConfig.pathNormalization, the default; Envoy's
 * normalize_path), applied before authorization and to the path forwarded to the app, so a policy
 * and the app judge the same path (CVE-2021-31920 is why this matters):
 *
 * - `%00` anywhere in the path: the request is refused (400).
 * - percent-encoded unreserved characters (ALPHA, DIGIT, `-`, `.`, `_`, `~`; RFC 3986 §2.3) are
 *   decoded, once: `%2e` is a dot, `%252e` stays `%2e`. `%2f` and `%5c` stay encoded (decoding
 *   them is DECODE_AND_MERGE_SLASHES, not BASE).
 * - `\` becomes `/`.
 * - dot segments are resolved (RFC 3986 §5.2.4): `/a/./b/../c` is `/a/c`; nothing climbs above `/`.
 *
 * Slashes are not merged (that is MERGE_SLASHES). The query is kept as it came.
 * https://istio.io/latest/docs/reference/config/security/normalization/
 */

/** The normalised path (with its query), or null when the request must be refused with 400. */
export function normalizePath(target: string): string | null {
  const q = target.indexOf('?');
  const end = q < 0 ? target.length : q;
  // Fast path: most paths have nothing to normalise, and then nothing is allocated.
  let needs = false;
  for (let i = 0; i < end; i++) {
    const c = target.charCodeAt(i);
    if (c === 37 /* % */ || c === 92 /* \ */ || (c === 46 /* . */ && afterSlash(target, i))) {
      needs = true;
      break;
    }
  }
  if (!needs) return target;
  const decoded = decodeUnreserved(target.slice(0, end));
  if (decoded === null) return null;
  const path = removeDotSegments(decoded.replaceAll('\\', '/'));
  return q < 0 ? path : path + target.slice(q);
}

// A '.' that may start a "." or ".." segment.
function afterSlash(s: string, i: number): boolean {
  return i > 0 && s.charCodeAt(i - 1) === 47;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function unreserved(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126
  );
}

function decodeUnreserved(p: string): string | null {
  if (!p.includes('%')) return p;
  let out = '';
  let from = 0;
  for (let i = p.indexOf('%'); i >= 0 && i + 2 < p.length; i = p.indexOf('%', i + 1)) {
    const hi = hexValue(p.charCodeAt(i + 1));
    const lo = hexValue(p.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) continue;
    const c = hi * 16 + lo;
    if (c === 0) return null;
    if (!unreserved(c)) continue;
    out += p.slice(from, i) + String.fromCharCode(c);
    from = i + 3;
    i += 2;
  }
  return from === 0 ? p : out + p.slice(from);
}

function removeDotSegments(p: string): string {
  if (p.charCodeAt(0) !== 47) return p;
  const segments = p.split('/');
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const s = segments[i]!;
    if (s === '.' || s === '..') {
      if (s === '..') out.pop();
      // "/a/." and "/a/.." name a directory: keep the trailing slash.
      if (i === last) out.push('');
      continue;
    }
    out.push(s);
  }
  return `/${out.join('/')}`;
}
