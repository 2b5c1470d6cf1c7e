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
