import 'server-only';
import type { MeshKind } from '@trellis/shared/kinds';
import { z } from 'zod';
import { type ConsoleErrorBody, consoleError } from '@/lib/errors';
import { isPolicyKind } from '../model/ref';
import type { PolicyWriteRequest, RevertRequest } from '../types';

/** What the browser sends is parsed like anything else that crosses a trust boundary. */
const writeRequestSchema = z.object({
  yaml: z.string().max(1024 * 1024),
  resourceVersion: z.string().regex(/^\d+$/, 'a resourceVersion is a decimal number').nullable().optional(),
});

const revertRequestSchema = z.object({ force: z.boolean().optional() });

type Parsed<T> = { ok: true; value: T } | { ok: false; error: ConsoleErrorBody };

async function jsonOf(req: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await req.text();
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

async function parseWith<T>(req: Request, schema: z.ZodType<T>): Promise<Parsed<T>> {
  const body = await jsonOf(req);
  if (!body.ok)
    return { ok: false, error: consoleError('INVALID_REQUEST', { detail: 'the body is not JSON' }) };
  const parsed = schema.safeParse(body.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    error: consoleError('INVALID_REQUEST', {
      causes: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    }),
  };
}

export const parseWriteRequest = (req: Request): Promise<Parsed<PolicyWriteRequest>> =>
  parseWith(req, writeRequestSchema);

export const parseRevertRequest = (req: Request): Promise<Parsed<RevertRequest>> =>
  parseWith(req, revertRequestSchema);

/** ?kind= and ?namespace= (and ?name=) of the list routes; anything odd is ignored as "all". */
export function filterOf(url: URL): { kind: MeshKind | null; namespace: string | null; name: string | null } {
  const kind = url.searchParams.get('kind');
  const namespace = url.searchParams.get('namespace');
  const name = url.searchParams.get('name');
  return {
    kind: isPolicyKind(kind) ? kind : null,
    namespace: namespace && /^[a-z0-9-]{1,63}$/.test(namespace) ? namespace : null,
    name: name && /^[a-z0-9.-]{1,253}$/.test(name) ? name : null,
  };
}
