import { type ConsoleErrorBody, httpStatusOf } from '@/lib/errors';

/** A failed studio route: the catalogue's error body with its status (409, 422, 400, 404, 502…). */
export function errorResponse(error: ConsoleErrorBody): Response {
  return Response.json(
    { error },
    { status: httpStatusOf(error.code), headers: { 'cache-control': 'no-store' } },
  );
}
