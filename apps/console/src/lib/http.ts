import { ApiError, type ConsoleErrorBody, consoleError } from './errors';

function isErrorBody(body: unknown): body is { error: ConsoleErrorBody } {
  return (
    typeof body === 'object' &&
    body !== null &&
    'error' in body &&
    typeof body.error === 'object' &&
    body.error !== null &&
    'code' in body.error
  );
}

/** Browser side: GET one of the console's own routes (never the control plane directly). */
export async function getConsoleJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(consoleError('CONSOLE_UNREACHABLE', { detail: (err as Error).message }), 0);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(consoleError('CONSOLE_BAD_RESPONSE', { status: res.status }), res.status);
  }
  if (!res.ok) {
    if (isErrorBody(body)) throw new ApiError(body.error, res.status);
    throw new ApiError(consoleError('CONSOLE_BAD_RESPONSE', { status: res.status }), res.status);
  }
  return body as T;
}

/**
 * Browser side: a write to one of the console's own routes (PUT/POST/DELETE with a JSON body).
 * Errors arrive as ApiError with the route's error body (code, causes), e.g. a 409 or a 422.
 */
export async function sendConsoleJson<T>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(consoleError('CONSOLE_UNREACHABLE', { detail: (err as Error).message }), 0);
  }
  let answer: unknown;
  try {
    answer = await res.json();
  } catch {
    throw new ApiError(consoleError('CONSOLE_BAD_RESPONSE', { status: res.status }), res.status);
  }
  if (!res.ok) {
    if (isErrorBody(answer)) throw new ApiError(answer.error, res.status);
    throw new ApiError(consoleError('CONSOLE_BAD_RESPONSE', { status: res.status }), res.status);
  }
  return answer as T;
}
