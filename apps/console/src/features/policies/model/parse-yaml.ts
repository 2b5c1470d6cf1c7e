import { KINDS } from '@trellis/shared/kinds';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { isPolicyKind, type PolicyRef } from './ref';

/** A problem with the editor's text, with the 1-based line it is on when that is known. */
export interface YamlProblem {
  line: number | null;
  message: string;
  /** Kubernetes field path, when the problem is about a field. */
  field?: string;
}

export type JsonObject = { [key: string]: unknown };

export type ParsedPolicy =
  | { ok: true; object: JsonObject; ref: PolicyRef }
  | { ok: false; problems: YamlProblem[] };

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The editor's text as one mesh object, or every problem that stops it from being sent: YAML
 * syntax (with the parser's line), several documents, and the few fields the studio needs to
 * know which object this is (kind, metadata.name). Everything else is the control plane's
 * validation, so the studio never disagrees with the server about what is valid.
 */
export function parsePolicyYaml(text: string): ParsedPolicy {
  if (text.trim() === '') return { ok: false, problems: [{ line: null, message: 'The editor is empty.' }] };
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return { ok: false, problems: [{ line: null, message: 'The editor is empty.' }] };
  const problems: YamlProblem[] = [];
  const real = docs.filter((d) => !isEmptyDoc(d.contents) || d.errors.length > 0);
  for (const d of real)
    for (const e of d.errors)
      problems.push({
        line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
        message: firstLine(e.message),
      });
  if (problems.length > 0) return { ok: false, problems };
  if (real.length !== 1) {
    const second = real[1]?.contents?.range?.[0] ?? real[1]?.range[0];
    return {
      ok: false,
      problems: [
        {
          line: second === undefined ? null : lineCounter.linePos(second).line,
          message: `The studio edits one object at a time; the text holds ${real.length} documents.`,
        },
      ],
    };
  }
  const doc = real[0];
  const value: unknown = doc?.toJS({ maxAliasCount: 100 });
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      ok: false,
      problems: [{ line: 1, message: 'The document must be a mapping (apiVersion, kind, metadata, spec).' }],
    };
  const object = value as JsonObject;
  const lineOf = (path: (string | number)[]) => nodeLine(doc?.contents ?? null, path, lineCounter);

  const kind = object.kind;
  if (!isPolicyKind(kind))
    problems.push({
      line: lineOf(['kind']) ?? 1,
      field: 'kind',
      message:
        kind === undefined
          ? 'kind is required: VirtualService, DestinationRule, PeerAuthentication or AuthorizationPolicy.'
          : `kind "${String(kind)}" is not a mesh kind: VirtualService, DestinationRule, PeerAuthentication or AuthorizationPolicy.`,
    });
  const info = KINDS.find((k) => k.kind === kind);
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '')
    problems.push({
      line: 1,
      field: 'apiVersion',
      message: `apiVersion is required, e.g. ${info?.group ?? 'networking.istio.io'}/v1.`,
    });
  else if (info && !info.versions.some((v) => `${info.group}/${v}` === object.apiVersion))
    problems.push({
      line: lineOf(['apiVersion']),
      field: 'apiVersion',
      message: `apiVersion "${object.apiVersion}" is not served for ${info.kind}: ${info.versions.map((v) => `${info.group}/${v}`).join(', ')}.`,
    });
  const metadata = object.metadata;
  const meta =
    typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)
      ? (metadata as JsonObject)
      : {};
  const name = meta.name;
  if (typeof name !== 'string' || name === '')
    problems.push({
      line: lineOf(['metadata']) ?? 1,
      field: 'metadata.name',
      message: 'metadata.name is required.',
    });
  else if (!DNS_SUBDOMAIN.test(name))
    problems.push({
      line: lineOf(['metadata', 'name']),
      field: 'metadata.name',
      message: `metadata.name "${name}" must be lower case letters, digits, "-" and ".".`,
    });
  const namespace = meta.namespace === undefined ? 'default' : meta.namespace;
  if (typeof namespace !== 'string' || namespace === '')
    problems.push({
      line: lineOf(['metadata', 'namespace']),
      field: 'metadata.namespace',
      message: 'metadata.namespace must be a name.',
    });
  if (problems.length > 0 || !isPolicyKind(kind) || typeof name !== 'string' || typeof namespace !== 'string')
    return { ok: false, problems };
  return { ok: true, object, ref: { kind, namespace, name } };
}

/** `---` at the end of a file makes an empty document, which is not a second object. */
function isEmptyDoc(contents: Node | null): boolean {
  return contents === null || (isScalar(contents) && contents.value === null);
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}

/**
 * Splits a Kubernetes field path into keys and indexes: `spec.http[0].route[1].weight` →
 * ["spec", "http", 0, "route", 1, "weight"]; bracketed map keys may hold dots
 * (`metadata.labels[app.kubernetes.io/name]`). The inverse of fieldPath in @trellis/shared.
 */
export function splitFieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  let i = 0;
  let word = '';
  const flush = () => {
    if (word !== '') out.push(word);
    word = '';
  };
  while (i < field.length) {
    const c = field[i] as string;
    if (c === '.') {
      flush();
      i += 1;
    } else if (c === '[') {
      flush();
      const end = field.indexOf(']', i);
      const inner = end < 0 ? field.slice(i + 1) : field.slice(i + 1, end);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end < 0 ? field.length : end + 1;
    } else {
      word += c;
      i += 1;
    }
  }
  flush();
  return out;
}

/**
 * The 1-based line of a field in the YAML text, so a cause from the server (`spec.http[0].route[1].weight`)
 * can be marked in the editor. A field that is not in the text (a missing required value) falls
 * back to its nearest ancestor that is. null when even the document cannot be parsed.
 */
export function fieldLine(text: string, field: string): number | null {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return null;
  const doc = docs.find((d) => !isEmptyDoc(d.contents));
  if (!doc || doc.errors.length > 0) return null;
  return nodeLine(doc.contents, splitFieldPath(field), lineCounter);
}

function nodeLine(root: Node | null, path: (string | number)[], lineCounter: LineCounter): number | null {
  let node: Node | null = root;
  let line: number | null = root?.range ? lineCounter.linePos(root.range[0]).line : null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      const keyNode = pair.key as Node;
      if (keyNode.range) line = lineCounter.linePos(keyNode.range[0]).line;
      node = (pair.value as Node | null) ?? null;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      if (item.range) line = lineCounter.linePos(item.range[0]).line;
      node = item;
    } else break;
  }
  return line;
}
