/**
 * The edge: GETs a path on a sidecar's admin listener with a short deadline and parses the JSON
 * with a schema. A sidecar that does not answer is a failure value, never an exception: one dead
 * sidecar must not fail the console's whole view.
 */
import { request } from 'undici';
import type { z } from 'zod';
import type { AdminRead } from './endpoints';

/** Short, so a page refreshing every 5 s is not held up by one stopped sidecar. */
export const ADMIN_TIMEOUT_MS = 2000;
/** A /clusters answer of a big mesh is a few hundred KiB; refuse anything far beyond. */
const MAX_BYTES = 8 * 1024 * 1024;

export interface AdminGetOptions {
  timeoutMs?: number;
  /** Statuses that mean "nothing here" (e.g. 404 from /certs without a mesh identity). */
  absentOn?: number[];
}

export async function adminGet<S extends z.ZodType>(
  address: string,
  path: string,
  schema: S,
  options: AdminGetOptions = {},
): Promise<AdminRead<z.infer<S> | undefined>> {
  const timeoutMs = options.timeoutMs ?? ADMIN_TIMEOUT_MS;
  let status: number;
  let text: string;
  try {
    const res = await request(`http://${address}${path}`, {
      method: 'GET',
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = res.statusCode;
    const length = Number(res.headers['content-length'] ?? 0);
    if (length > MAX_BYTES) {
      res.body.destroy();
      return {
        ok: false,
        failure: { kind: 'bad-response', message: `answer of ${length} bytes is too large` },
      };
    }
    text = await res.body.text();
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string };
    const message =
      e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT'
        ? `no answer from ${address} within ${timeoutMs} ms`
        : `${address}: ${e.code ?? e.message ?? String(err)}`;
    return { ok: false, failure: { kind: 'unreachable', message } };
  }
  if (options.absentOn?.includes(status)) return { ok: true, value: undefined };
  if (status !== 200)
    return {
      ok: false,
      failure: { kind: 'bad-response', message: `${path} answered ${status}: ${text.slice(0, 200).trim()}` },
    };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, failure: { kind: 'bad-response', message: `${path} did not answer JSON` } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      failure: {
        kind: 'bad-response',
        message: `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
      },
    };
  }
  return { ok: true, value: parsed.data };
}
