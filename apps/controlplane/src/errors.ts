/**
 * The control plane's one error catalogue. Every HTTP failure the Kubernetes-style API returns is
 * a Kubernetes `Status` built here, so kubectl and @kubernetes/client-node recognise the reason
 * (NotFound, AlreadyExists, Conflict, Invalid, ...) exactly as they would from a real API server.
 * The wording follows k8s.io/apimachinery/pkg/api/errors so users' muscle memory (and scripts
 * grepping for "not found" or "the object has been modified") keep working.
 *
 * Stable codes (TRELLIS_E_*) are for logs and docs; the `reason` is what clients switch on.
 */
import type { FieldCause } from '@trellis/shared';

export type StatusReason =
  | 'BadRequest'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Expired'
  | 'Gone'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'ServiceUnavailable'
  | 'InternalError';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  /** The resource plural for most errors; the Kind for Invalid, as the API server does. */
  kind?: string;
  causes?: StatusCause[];
}

/** metav1.Status, the body of every failed request. */
export interface Status {
  apiVersion: 'v1';
  kind: 'Status';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** What a failure is about: enough to name it as the API server does ("virtualservices.networking.istio.io \"x\""). */
export interface Subject {
  group: string;
  /** Resource plural, e.g. "virtualservices". */
  resource: string;
  name: string;
  /** Kind, e.g. "VirtualService"; used by Invalid. */
  kind?: string;
}

const CODES = {
  BadRequest: { code: 400, id: 'TRELLIS_E_BAD_REQUEST' },
  NotFound: { code: 404, id: 'TRELLIS_E_NOT_FOUND' },
  MethodNotAllowed: { code: 405, id: 'TRELLIS_E_METHOD_NOT_ALLOWED' },
  NotAcceptable: { code: 406, id: 'TRELLIS_E_NOT_ACCEPTABLE' },
  AlreadyExists: { code: 409, id: 'TRELLIS_E_ALREADY_EXISTS' },
  Conflict: { code: 409, id: 'TRELLIS_E_CONFLICT' },
  Gone: { code: 410, id: 'TRELLIS_E_GONE' },
  Expired: { code: 410, id: 'TRELLIS_E_EXPIRED' },
  RequestEntityTooLarge: { code: 413, id: 'TRELLIS_E_TOO_LARGE' },
  UnsupportedMediaType: { code: 415, id: 'TRELLIS_E_UNSUPPORTED_MEDIA_TYPE' },
  Invalid: { code: 422, id: 'TRELLIS_E_INVALID' },
  InternalError: { code: 500, id: 'TRELLIS_E_INTERNAL' },
  ServiceUnavailable: { code: 503, id: 'TRELLIS_E_UNAVAILABLE' },
} as const satisfies Record<StatusReason, { code: number; id: string }>;

/** The stable error code of a reason (for logs and docs/api.md). */
export function errorCode(reason: StatusReason): string {
  return CODES[reason].id;
}

/** Every reason with its HTTP code and stable id; docs/api.md lists the same table. */
export function errorCatalogue(): { reason: StatusReason; code: number; id: string }[] {
  return (Object.keys(CODES) as StatusReason[]).map((reason) => ({ reason, ...CODES[reason] }));
}

function status(reason: StatusReason, message: string, details?: StatusDetails): Status {
  const s: Status = {
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code: CODES[reason].code,
  };
  if (details) s.details = details;
  return s;
}

/** "virtualservices.networking.istio.io", or "namespaces" for the core group. */
function qualified(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}

function detailsOf(s: Subject): StatusDetails {
  const d: StatusDetails = { name: s.name, kind: s.resource };
  if (s.group !== '') d.group = s.group;
  return d;
}

export const Errors = {
  badRequest(message: string): Status {
    return status('BadRequest', message);
  },

  notFound(s: Subject): Status {
    return status('NotFound', `${qualified(s.group, s.resource)} "${s.name}" not found`, detailsOf(s));
  },

  /** A URL that names no route at all (the API server answers these with a bare 404 Status). */
  pathNotFound(path: string): Status {
    return status('NotFound', `the server could not find the requested resource (${path})`, {});
  },

  alreadyExists(s: Subject): Status {
    return status(
      'AlreadyExists',
      `${qualified(s.group, s.resource)} "${s.name}" already exists`,
      detailsOf(s),
    );
  },

  /** A stale write: the resourceVersion (or uid) precondition did not hold. */
  conflict(
    s: Subject,
    why = 'the object has been modified; please apply your changes to the latest version and try again',
  ): Status {
    return status(
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(s.group, s.resource)} "${s.name}": ${why}`,
      detailsOf(s),
    );
  },

  /**
   * A rejected object: one cause per problem, each with its field path. The message lists every
   * cause as kubectl prints them ("spec.http[0].route[0].weight: Invalid value: ...").
   */
  invalid(s: Subject, causes: readonly FieldCause[]): Status {
    const kind = s.kind ?? s.resource;
    const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    const details: StatusDetails = {
      name: s.name,
      kind,
      causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
    };
    if (s.group !== '') details.group = s.group;
    return status('Invalid', `${kind}.${s.group} "${s.name}" is invalid: ${body}`, details);
  },

  /** A watch or list from a resourceVersion older than the retained history. */
  expired(requested: string, oldest: string): Status {
    return status('Expired', `too old resource version: ${requested} (${oldest})`);
  },

  methodNotAllowed(method: string, path: string): Status {
    return status(
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${method} ${path})`,
    );
  },

  notAcceptable(accept: string): Status {
    return status(
      'NotAcceptable',
      `only the following media types are accepted: application/json, application/yaml (Accept: ${accept})`,
    );
  },

  unsupportedMediaType(supported: readonly string[]): Status {
    return status(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')}`,
    );
  },

  tooLarge(limitBytes: number): Status {
    return status('RequestEntityTooLarge', `the request body is larger than ${limitBytes} bytes`);
  },

  unavailable(message: string): Status {
    return status('ServiceUnavailable', message);
  },

  internal(message: string): Status {
    return status('InternalError', `Internal error occurred: ${message}`);
  },
} as const;

/** Thrown inside request handlers to answer with a Status; the router turns it into the response. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }
}
