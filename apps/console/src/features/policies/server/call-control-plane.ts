import 'server-only';
import type { z } from 'zod';
import { getEnv } from '@/lib/env';
import { type ConsoleErrorBody, consoleError } from '@/lib/errors';
import { parseWarningHeader } from '../model/warnings';

export type StudioCallResult<T> =
  | { ok: true; data: T; status: number; warnings: string[] }
  | { ok: false; error: ConsoleErrorBody };

interface StatusBody {
  message?: unknown;
  reason?: unknown;
  details?: { causes?: { field?: unknown; message?: unknown }[] };
}

/**
 * One write-shaped call to the control plane for the studio (create, update, their dry runs,
 * revert). Like writeControlPlane in lib/control-plane.ts, but it also returns the Kubernetes
 * `Warning` headers (the Check shows them, as kubectl apply prints them) and keeps the Status
 * reason in `detail` (AlreadyExists and a stale resourceVersion are both 409). Never throws.
 */
export async function callControlPlane<T>(
  method: 'POST' | 'PUT',
  path: string,
  body: unknown,
  schema: z.ZodType<T>,
  opts: { actor?: string; search?: Record<string, string> } = {},
): Promise<StudioCallResult<T>> {
  const env = getEnv();
  const url = new URL(`${env.TRELLIS_API_URL}${path}`);
  for (const [k, v] of Object.entries(opts.search ?? {})) url.searchParams.set(k, v);
  const signal = AbortSignal.timeout(env.TRELLIS_API_TIMEOUT_MS);
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  if (opts.actor) headers['impersonate-user'] = opts.actor;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
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
  let answer: unknown;
  try {
    answer = await res.json();
  } catch {
    answer = undefined;
  }
  const status = res.status;
  if (!res.ok) {
    const s = (typeof answer === 'object' && answer !== null ? answer : {}) as StatusBody;
    const detail = typeof s.message === 'string' ? s.message : undefined;
    if (status === 409)
      return { ok: false, error: consoleError('CONTROL_PLANE_CONFLICT', { path, status, detail }) };
    if (status === 422) {
      const causes = (s.details?.causes ?? []).map((c) => ({
        field: typeof c.field === 'string' ? c.field : '',
        message: typeof c.message === 'string' ? c.message : '',
      }));
      return { ok: false, error: consoleError('CONTROL_PLANE_INVALID', { path, status, detail, causes }) };
    }
    if (status === 404)
      return { ok: false, error: consoleError('CONTROL_PLANE_NOT_FOUND', { path, status, detail }) };
    return { ok: false, error: consoleError('CONTROL_PLANE_ERROR', { path, status, detail }) };
  }
  const parsed = schema.safeParse(answer);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const detail = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'not JSON';
    return { ok: false, error: consoleError('CONTROL_PLANE_BAD_RESPONSE', { path, status, detail }) };
  }
  return { ok: true, data: parsed.data, status, warnings: parseWarningHeader(res.headers.get('warning')) };
}
