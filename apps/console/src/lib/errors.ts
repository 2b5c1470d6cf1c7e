/**
 * The console's error catalogue: stable codes the UI can switch on, and messages that say what
 * to do. Shared by the server routes (which produce them) and the browser (which shows them).
 */
export const CONSOLE_ERRORS = {
  CONTROL_PLANE_UNREACHABLE:
    'The control plane did not answer. Is `trellis controlplane` running, and does TRELLIS_API_URL point at it?',
  CONTROL_PLANE_TIMEOUT: 'The control plane took too long to answer.',
  CONTROL_PLANE_NOT_FOUND:
    'The control plane does not serve this API yet (404). It may be older than this console.',
  CONTROL_PLANE_ERROR: 'The control plane answered with an error.',
  CONTROL_PLANE_BAD_RESPONSE: 'The control plane answered with data this console does not understand.',
  CONSOLE_UNREACHABLE: 'The console server did not answer.',
  CONSOLE_BAD_RESPONSE: 'The console server answered with data the page does not understand.',
} as const;

export type ConsoleErrorCode = keyof typeof CONSOLE_ERRORS;

/** What crosses the wire from a console route to the browser when something failed. */
export interface ConsoleErrorBody {
  code: ConsoleErrorCode;
  message: string;
  /** Control plane path that failed, e.g. /api/v1/mesh/graph. */
  path?: string;
  /** HTTP status the control plane answered with, when it answered. */
  status?: number;
  detail?: string;
}

export function consoleError(
  code: ConsoleErrorCode,
  extra: Omit<ConsoleErrorBody, 'code' | 'message'> = {},
): ConsoleErrorBody {
  return { code, message: CONSOLE_ERRORS[code], ...extra };
}

/** Thrown by browser fetchers so react-query holds a typed error. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly body: ConsoleErrorBody;
  readonly httpStatus: number;

  constructor(body: ConsoleErrorBody, httpStatus: number) {
    super(body.message);
    this.body = body;
    this.httpStatus = httpStatus;
  }
}
