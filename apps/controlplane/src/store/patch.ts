/**
 * The two standard patch formats, on plain JSON. Pure: no store, no HTTP.
 * - RFC 7386 JSON merge patch: objects merge recursively, null deletes, anything else replaces
 *   (lists included). This is what kubectl apply/edit/patch send for custom resources.
 * - RFC 6902 JSON patch: add, remove, replace, move, copy, test on JSON pointers (RFC 6901).
 */
import { cloneJson, isJsonObject, type JsonObject, type JsonValue, jsonEqual } from './json';

export function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key] ?? null, value);
  }
  return out;
}

export type JsonPatchResult = { ok: true; value: JsonValue } | { ok: false; message: string };

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: JsonValue;
}

function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parseOperations(patch: JsonValue): Operation[] | string {
  if (!Array.isArray(patch)) return 'a JSON patch must be a list of operations';
  const ops: Operation[] = [];
  for (const [i, raw] of patch.entries()) {
    if (!isJsonObject(raw)) return `operation ${i} is not an object`;
    const { op, path, from, value } = raw;
    if (
      op !== 'add' &&
      op !== 'remove' &&
      op !== 'replace' &&
      op !== 'move' &&
      op !== 'copy' &&
      op !== 'test'
    )
      return `operation ${i}: unknown op ${JSON.stringify(op)}`;
    if (typeof path !== 'string') return `operation ${i}: missing "path"`;
    if ((op === 'move' || op === 'copy') && typeof from !== 'string') return `operation ${i}: missing "from"`;
    if ((op === 'add' || op === 'replace' || op === 'test') && value === undefined)
      return `operation ${i}: missing "value"`;
    const o: Operation = { op, path };
    if (typeof from === 'string') o.from = from;
    if (value !== undefined) o.value = value;
    ops.push(o);
  }
  return ops;
}

/** Resolves the parent container of a pointer, or an error message. */
function parentOf(doc: JsonValue, tokens: string[]): { parent: JsonValue; key: string } | string {
  let cur: JsonValue = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^\d+$/.test(t) || i >= cur.length) return `index ${t} out of range`;
      cur = cur[i] as JsonValue;
    } else if (isJsonObject(cur)) {
      if (!Object.hasOwn(cur, t)) return `missing key "${t}"`;
      cur = cur[t] as JsonValue;
    } else return `cannot descend into a ${cur === null ? 'null' : typeof cur} at "${t}"`;
  }
  return { parent: cur, key: tokens[tokens.length - 1] ?? '' };
}

function getAt(doc: JsonValue, tokens: string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(t) ? cur[Number(t)] : undefined;
    else if (isJsonObject(cur)) cur = Object.hasOwn(cur, t) ? cur[t] : undefined;
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

function removeAt(doc: JsonValue, tokens: string[]): string | undefined {
  if (tokens.length === 0) return 'cannot remove the whole document';
  const p = parentOf(doc, tokens);
  if (typeof p === 'string') return p;
  const { parent, key } = p;
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length) return `index ${key} out of range`;
    parent.splice(i, 1);
  } else if (isJsonObject(parent)) {
    if (!Object.hasOwn(parent, key)) return `missing key "${key}"`;
    delete parent[key];
  } else return 'parent is not a container';
  return undefined;
}

type Added = { ok: true; doc: JsonValue } | { ok: false; error: string };

/** Adds (or, with replace, replaces) a value; returns the new root, which may be `value` itself. */
function addAt(doc: JsonValue, tokens: string[], value: JsonValue, replace: boolean): Added {
  if (tokens.length === 0) return { ok: true, doc: value };
  const p = parentOf(doc, tokens);
  if (typeof p === 'string') return { ok: false, error: p };
  const { parent, key } = p;
  if (Array.isArray(parent)) {
    if (key === '-' && !replace) parent.push(value);
    else {
      const i = Number(key);
      const limit = replace ? parent.length - 1 : parent.length;
      if (!/^\d+$/.test(key) || i > limit) return { ok: false, error: `index ${key} out of range` };
      if (replace) parent[i] = value;
      else parent.splice(i, 0, value);
    }
  } else if (isJsonObject(parent)) {
    if (replace && !Object.hasOwn(parent, key)) return { ok: false, error: `missing key "${key}"` };
    parent[key] = value;
  } else return { ok: false, error: 'parent is not a container' };
  return { ok: true, doc };
}

export function jsonPatch(target: JsonValue, patch: JsonValue): JsonPatchResult {
  const ops = parseOperations(patch);
  if (typeof ops === 'string') return { ok: false, message: ops };
  let doc = cloneJson(target);
  for (const [i, op] of ops.entries()) {
    const tokens = parsePointer(op.path);
    if (!tokens) return { ok: false, message: `operation ${i}: invalid path "${op.path}"` };
    const fail = (why: string): JsonPatchResult => ({
      ok: false,
      message: `operation ${i} (${op.op} ${op.path}): ${why}`,
    });
    switch (op.op) {
      case 'add':
      case 'replace': {
        const r = addAt(doc, tokens, cloneJson(op.value as JsonValue), op.op === 'replace');
        if (!r.ok) return fail(r.error);
        doc = r.doc;
        break;
      }
      case 'remove': {
        const err = removeAt(doc, tokens);
        if (err) return fail(err);
        break;
      }
      case 'move':
      case 'copy': {
        const fromTokens = parsePointer(op.from ?? '');
        if (!fromTokens) return fail(`invalid from "${op.from}"`);
        const value = getAt(doc, fromTokens);
        if (value === undefined) return fail(`from "${op.from}" does not exist`);
        const moved = cloneJson(value);
        if (op.op === 'move') {
          const err = removeAt(doc, fromTokens);
          if (err) return fail(err);
        }
        const r = addAt(doc, tokens, moved, false);
        if (!r.ok) return fail(r.error);
        doc = r.doc;
        break;
      }
      case 'test': {
        const value = getAt(doc, tokens);
        if (value === undefined || !jsonEqual(value, op.value)) return fail('test failed');
        break;
      }
    }
  }
  return { ok: true, value: doc };
}
