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
  UNAUTHENTICATED: 'Sign in first: this console asks for a token (TRELLIS_CONSOLE_AUTH=token).',
  AUTH_INVALID_TOKEN: 'That token does not belong to any user of this console.',
  FORBIDDEN_VIEWER_READ_ONLY: 'Your role is viewer: you can look but not change anything. Ask an operator.',
  FORBIDDEN_CROSS_ORIGIN: 'Refused a write sent from another site (its Origin is not this console).',
  INVALID_REQUEST: 'The console refused the request: it does not have the expected shape.',
  CONTROL_PLANE_CONFLICT:
    'Changed by someone else since you loaded it: nothing was written. Reload to see the current state, then apply again.',
  CONTROL_PLANE_INVALID: 'The control plane refused the change as invalid: nothing was written.',
  INVALID_CHANGE: 'The console refused the change as invalid: nothing was written.',
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
  /** CONTROL_PLANE_INVALID / INVALID_CHANGE / INVALID_REQUEST: one cause per problem, as the control plane's 422 lists them. */
  causes?: { field: string; message: string }[];
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

/** The HTTP status a console route answers with for an error (502: the control plane failed us). */
export function httpStatusOf(code: ConsoleErrorCode): number {
  switch (code) {
    case 'UNAUTHENTICATED':
    case 'AUTH_INVALID_TOKEN':
      return 401;
    case 'FORBIDDEN_VIEWER_READ_ONLY':
    case 'FORBIDDEN_CROSS_ORIGIN':
      return 403;
    case 'INVALID_REQUEST':
      return 400;
    case 'CONTROL_PLANE_NOT_FOUND':
      return 404;
    case 'CONTROL_PLANE_CONFLICT':
      return 409;
    case 'CONTROL_PLANE_INVALID':
    case 'INVALID_CHANGE':
      return 422;
    case 'CONTROL_PLANE_TIMEOUT':
      return 504;
    default:
      return 502;
  }
}
