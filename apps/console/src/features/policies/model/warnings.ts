/**
 * Kubernetes API warnings from `Warning` headers (`299 - "text"`, RFC 7234). fetch joins several
 * header values with ", ", and warning texts contain commas themselves, so the values are read
 * as quoted strings rather than split.
 */
export function parseWarningHeader(header: string | null): string[] {
  if (!header) return [];
  const out: string[] = [];
  const re = /\d{3} +\S+ +"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(header); m !== null; m = re.exec(header))
    out.push((m[1] ?? '').replace(/\\(.)/g, '$1'));
  return out;
}

/** "[IST0101] spec.http[0]...: message" → its code and field path when it has them. */
export function warningParts(warning: string): {
  code: string | null;
  field: string | null;
  message: string;
} {
  const m = /^(?:\[(\w+)\] )?(?:([A-Za-z][\w.[\]\-/]*): )?(.*)$/s.exec(warning);
  return { code: m?.[1] ?? null, field: m?.[2] ?? null, message: m?.[3] ?? warning };
}
