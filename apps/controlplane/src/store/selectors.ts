/**
 * Kubernetes label and field selectors (k8s.io/apimachinery/pkg/labels and .../fields), parsed
 * into predicates. Pure. Custom resources support only metadata.name and metadata.namespace as
 * field selectors, so those are the only fields here too.
 */
import type { MeshResource } from '@trellis/shared';

export type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type Selector = readonly Requirement[];

export type SelectorParse = { ok: true; selector: Selector } | { ok: false; message: string };

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside parentheses ("a in (x,y),b" → ["a in (x,y)", "b"]). */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim());
}

export function parseLabelSelector(s: string | undefined): SelectorParse {
  if (s === undefined || s.trim() === '') return { ok: true, selector: [] };
  const reqs: Requirement[] = [];
  for (const term of splitTerms(s)) {
    const bad = (why: string): SelectorParse => ({
      ok: false,
      message: `unable to parse requirement: "${term}": ${why}`,
    });
    if (term === '') return bad('empty requirement');
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const [, key = '', op, list = ''] = set;
      const values = list
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      if (!KEY.test(key)) return bad(`invalid label key "${key}"`);
      const badValue = values.find((v) => !VALUE.test(v));
      if (badValue !== undefined) return bad(`invalid label value "${badValue}"`);
      reqs.push({ op: op === 'in' ? 'in' : 'notin', key, values });
      continue;
    }
    const cmp = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (cmp) {
      const [, key = '', op, value = ''] = cmp;
      if (!KEY.test(key)) return bad(`invalid label key "${key}"`);
      if (!VALUE.test(value.trim())) return bad(`invalid label value "${value}"`);
      reqs.push({ op: op === '!=' ? 'neq' : 'eq', key, value: value.trim() });
      continue;
    }
    const not = term.startsWith('!');
    const key = (not ? term.slice(1) : term).trim();
    if (!KEY.test(key)) return bad(`invalid label key "${key}"`);
    reqs.push({ op: not ? 'notexists' : 'exists', key });
  }
  return { ok: true, selector: reqs };
}

const FIELDS = new Set(['metadata.name', 'metadata.namespace']);

export function parseFieldSelector(s: string | undefined): SelectorParse {
  if (s === undefined || s.trim() === '') return { ok: true, selector: [] };
  const reqs: Requirement[] = [];
  for (const term of s.split(',').map((t) => t.trim())) {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term);
    if (!m) return { ok: false, message: `invalid selector: '${s}'; can't understand '${term}'` };
    const [, key = '', op, value = ''] = m;
    if (!FIELDS.has(key.trim()))
      return {
        ok: false,
        message: `field label not supported: ${key.trim()} (supported: metadata.name, metadata.namespace)`,
      };
    reqs.push({ op: op === '!=' ? 'neq' : 'eq', key: key.trim(), value: value.trim() });
  }
  return { ok: true, selector: reqs };
}

function holds(r: Requirement, v: string | undefined): boolean {
  switch (r.op) {
    case 'eq':
      return v === r.value;
    case 'neq':
      return v !== r.value;
    case 'in':
      return v !== undefined && r.values.includes(v);
    case 'notin':
      return v === undefined || !r.values.includes(v);
    case 'exists':
      return v !== undefined;
    case 'notexists':
      return v === undefined;
  }
}

function matches(selector: Selector, lookup: (key: string) => string | undefined): boolean {
  return selector.every((r) => holds(r, lookup(r.key)));
}

export function matchesLabels(selector: Selector, r: MeshResource): boolean {
  const labels = r.metadata.labels ?? {};
  return matches(selector, (k) => (Object.hasOwn(labels, k) ? labels[k] : undefined));
}

export function matchesFields(selector: Selector, r: MeshResource): boolean {
  return matches(selector, (k) =>
    k === 'metadata.name' ? r.metadata.name : k === 'metadata.namespace' ? r.metadata.namespace : undefined,
  );
}

/** Both selectors, parsed; the first parse error wins. */
export function parseSelectors(
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
): { ok: true; match: (r: MeshResource) => boolean } | { ok: false; message: string } {
  const l = parseLabelSelector(labelSelector);
  if (!l.ok) return l;
  const f = parseFieldSelector(fieldSelector);
  if (!f.ok) return f;
  return { ok: true, match: (r) => matchesLabels(l.selector, r) && matchesFields(f.selector, r) };
}
