import 'server-only';
import type { z } from 'zod';
import { getEnv } from './env';
import { type ConsoleErrorBody, consoleError } from './errors';

export type ControlPlaneResult<T> = { ok: true; data: T } | { ok: false; error: ConsoleErrorBody };

/**
 * GET a control plane API from the console server and parse it with `schema`: the control plane
 * is a trust boundary like any other, so nothing unparsed reaches a component. Never throws.
 */
export async function getControlPlane<T>(
  path: string,
  schema: z.ZodType<T>,
  init: { search?: Record<string, string> } = {},
): Promise<ControlPlaneResult<T>> {
  const sent = await send(path, init.search, { headers: { accept: 'application/json' } });
  if (!sent.ok) return sent;
  const res = sent.res;

  if (res.status === 404) {
    await res.body?.cancel();
    return { ok: false, error: consoleError('CONTROL_PLANE_NOT_FOUND', { path, status: 404 }) };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return {
      ok: false,
      error: consoleError(res.ok ? 'CONTROL_PLANE_BAD_RESPONSE' : 'CONTROL_PLANE_ERROR', {
        path,
        status: res.status,
        detail: 'not JSON',
      }),
    };
  }
  if (!res.ok)
    return {
      ok: false,
      error: consoleError('CONTROL_PLANE_ERROR', { path, status: res.status, detail: messageOf(body) }),
    };

  return parseAnswer(schema, body, path, res.status);
}

/** Kubernetes Status bodies and our own errors carry a message; show it when there is one. */
function messageOf(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string')
    return body.message;
  return undefined;
}

export type ControlPlaneWriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ControlPlaneWriteResult<T> =
  | { ok: true; data: T; status: number; warningHeader: string | null }
  | { ok: false; error: ConsoleErrorBody };

/** One cause of a Kubernetes Status (422 Invalid lists one per field). */
interface StatusCause {
  field?: string;
  message?: string;
}

function causesOf(body: unknown): { field: string; message: string }[] {
  if (typeof body !== 'object' || body === null || !('details' in body)) return [];
  const details = body.details;
  if (
    typeof details !== 'object' ||
    details === null ||
    !('causes' in details) ||
    !Array.isArray(details.causes)
  )
    return [];
  return (details.causes as StatusCause[]).map((c) => ({ field: c.field ?? '', message: c.message ?? '' }));
}

/**
 * Writes to the control plane's Kubernetes-style API as `actor` (sent as Impersonate-User, which
 * the control plane records in its history, like `kubectl --as`). A stale resourceVersion comes
 * back as CONTROL_PLANE_CONFLICT and a refused object as CONTROL_PLANE_INVALID with the control
 * plane's field paths, so a page can show them as they are. `warningHeader` carries the
 * Kubernetes `Warning` headers (what kubectl prints as "Warning:"). Never throws.
 */
export async function writeControlPlane<T>(
  method: ControlPlaneWriteMethod,
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
  opts: { actor?: string | undefined; contentType?: string; search?: Record<string, string> },
): Promise<ControlPlaneWriteResult<T>> {
  const sent = await send(path, opts.search, {
    method,
    headers: {
      accept: 'application/json',
      'content-type': opts.contentType ?? 'application/json',
      ...(opts.actor ? { 'impersonate-user': opts.actor } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!sent.ok) return sent;
  const res = sent.res;
  let answer: unknown;
  try {
    answer = await res.json();
  } catch {
    answer = undefined;
  }
  if (!res.ok) {
    const detail = messageOf(answer);
    const status = res.status;
    if (status === 409)
      return { ok: false, error: consoleError('CONTROL_PLANE_CONFLICT', { path, status, detail }) };
    if (status === 422)
      return {
        ok: false,
        error: consoleError('CONTROL_PLANE_INVALID', { path, status, detail, causes: causesOf(answer) }),
      };
    if (status === 404)
      return { ok: false, error: consoleError('CONTROL_PLANE_NOT_FOUND', { path, status, detail }) };
    return { ok: false, error: consoleError('CONTROL_PLANE_ERROR', { path, status, detail }) };
  }
  const parsed = parseAnswer(schema, answer, path, res.status);
  if (!parsed.ok) return parsed;
  return { ok: true, data: parsed.data, status: res.status, warningHeader: res.headers.get('warning') };
}

/**
 * One request to the control plane with the console's timeout; a timeout or a refused connection
 * comes back as the catalogue's error, never as a throw.
 */
async function send(
  path: string,
  search: Record<string, string> | undefined,
  init: RequestInit,
): Promise<{ ok: true; res: Response } | { ok: false; error: ConsoleErrorBody }> {
  const env = getEnv();
  const url = new URL(`${env.TRELLIS_API_URL}${path}`);
  for (const [k, v] of Object.entries(search ?? {})) url.searchParams.set(k, v);
  const signal = AbortSignal.timeout(env.TRELLIS_API_TIMEOUT_MS);
  try {
    return { ok: true, res: await fetch(url, { ...init, signal, cache: 'no-store' }) };
  } catch (err) {
    if (signal.aborted)
      return {
        ok: false,
        error: consoleError('CONTROL_PLANE_TIMEOUT', { path, detail: `${env.TRELLIS_API_TIMEOUT_MS} ms` }),
      };
    const cause = (err as Error & { cause?: { code?: string } }).cause?.code;
    return {
      ok: false,
      error: consoleError('CONTROL_PLANE_UNREACHABLE', { path, detail: cause ?? (err as Error).message }),
    };
  }
}

/** The control plane is a trust boundary: its answer reaches a page only through `schema`. */
function parseAnswer<T>(
  schema: z.ZodType<T>,
  body: unknown,
  path: string,
  status: number,
): ControlPlaneResult<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data };
  const first = parsed.error.issues[0];
  const detail = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : undefined;
  return { ok: false, error: consoleError('CONTROL_PLANE_BAD_RESPONSE', { path, status, detail }) };
}
