/**
 * The answers every console route gives the same way: live data never cached, failures as
 * `{ error }` in the catalogue's shape with the status the catalogue names, bad input as 400.
 */
import type { z } from 'zod';
import { type ConsoleErrorBody, consoleError, httpStatusOf } from './errors';

export const NO_STORE = { 'cache-control': 'no-store' } as const;

export function answer<T>(result: { ok: true; data: T } | { ok: false; error: ConsoleErrorBody }): Response {
  if (result.ok) return Response.json(result.data, { headers: NO_STORE });
  return Response.json(
    { error: result.error },
    { status: httpStatusOf(result.error.code), headers: NO_STORE },
  );
}

export function badRequest(detail: string): Response {
  return Response.json(
    { error: consoleError('INVALID_REQUEST', { detail }) },
    { status: 400, headers: NO_STORE },
  );
}

/** The request's JSON body checked against `schema`, or the 400 to answer instead. */
export async function readBody<T>(req: Request, schema: z.ZodType<T>): Promise<T | Response> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return badRequest('the body is not JSON');
  }
  const input = schema.safeParse(body);
  if (input.success) return input.data;
  const first = input.error.issues[0];
  return badRequest(first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'invalid body');
}
