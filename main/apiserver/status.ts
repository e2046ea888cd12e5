// Errors as Kubernetes Status objects: every failure the API returns is one of these, so kubectl
// and our own client print a clear message. The constructors in `errors` mirror apimachinery's
// k8s.io/apimachinery/pkg/api/errors: each sets the same code, reason, message and `details`
// (clients read details: kubectl debug dereferences `details.name` of a NotFound).
import type { Status, StatusCause } from '../api/types';

export type StatusReason =
  | 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'BadRequest' | 'Gone' | 'Expired'
  | 'Unauthorized' | 'Forbidden' | 'MethodNotAllowed' | 'RequestEntityTooLarge' | 'TooManyRequests'
  | 'UnsupportedMediaType' | 'NotAcceptable' | 'InternalError' | 'Timeout' | 'ServerTimeout' | 'ServiceUnavailable';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/**
 * Reasons whose Status always carries `details` in Kubernetes (possibly empty, as `{}`): every
 * constructor apimachinery has for them sets it, and clients may read it without a nil check.
 */
const REASONS_WITH_DETAILS: ReadonlySet<StatusReason> = new Set<StatusReason>([
  'NotFound', 'AlreadyExists', 'Conflict', 'Invalid', 'Forbidden', 'MethodNotAllowed', 'InternalError', 'ServerTimeout', 'Timeout', 'TooManyRequests',
]);

export class ApiError extends Error {
  readonly details?: StatusDetails;

  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
    this.details = details ?? (REASONS_WITH_DETAILS.has(reason) ? {} : undefined);
  }

  toStatus(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** `pods "x"`, `deployments.apps "x"`: how Kubernetes names a resource in messages. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

/** StatusDetails of a GroupResource and name, as apimachinery fills them (empty strings are omitted on the wire). */
function resourceDetails(group: string, plural: string, name: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (group) d.group = group;
  if (plural) d.kind = plural;
  return d;
}

/** The message of a 404/405/422 that names no resource (NewGenericServerResponse with an empty GroupResource). */
const GENERIC_MESSAGES = {
  404: 'the server could not find the requested resource',
  405: 'the server does not allow this method on the requested resource',
  422: 'the server rejected our request due to an error in our request',
} as const;

export const errors = {
  /** NewNotFound. */
  notFound: (group: string, plural: string, name: string) =>
    new ApiError(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, resourceDetails(group, plural, name)),
  /** A path the server does not serve (an unknown resource, group or subresource): details are empty. */
  pathNotFound: () => new ApiError(404, 'NotFound', GENERIC_MESSAGES[404], {}),
  /** NewAlreadyExists. */
  alreadyExists: (group: string, plural: string, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, resourceDetails(group, plural, name)),
  /** NewConflict. */
  conflict: (group: string, plural: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${why}`, resourceDetails(group, plural, name)),
  /** NewApplyConflict: server-side apply field manager conflicts. */
  applyConflict: (causes: StatusCause[], message: string) => new ApiError(409, 'Conflict', message, { causes }),
  /** NewInvalid: `kind` is the object's Kind (not the resource), `message` the aggregated one. */
  invalid: (kind: string, group: string, name: string, message: string, causes: StatusCause[]) =>
    new ApiError(422, 'Invalid', message, { ...resourceDetails(group, kind, name), causes }),
  /** A 422 that names no object (a patch that cannot be applied): details are empty. */
  unprocessable: (message: string = GENERIC_MESSAGES[422]) => new ApiError(422, 'Invalid', message, {}),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  /** NewForbidden: `pods "x" is forbidden: <reason>`, `pods is forbidden: …` without a name, `forbidden: …` without a resource. */
  forbidden: (group: string, plural: string, name: string, reason: string) => {
    const gr = qualifiedResource(group, plural);
    const message = !plural ? `forbidden: ${reason}` : name ? `${gr} "${name}" is forbidden: ${reason}` : `${gr} is forbidden: ${reason}`;
    return new ApiError(403, 'Forbidden', message, resourceDetails(group, plural, name));
  },
  /** NewMethodNotSupported: `<action> is not supported on resources of kind "pods"`. */
  methodNotSupported: (group: string, plural: string, action: string) =>
    new ApiError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(group, plural)}"`, resourceDetails(group, plural, '')),
  /** A method the route does not serve (go-restful's 405): details are empty. */
  methodNotAllowed: (message: string = GENERIC_MESSAGES[405]) => new ApiError(405, 'MethodNotAllowed', message, {}),
  tooLarge: (limit: number) => new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`),
  /** A custom resource's patch: no strategic merge patch (NewUnsupportedMediaTypeError with the types it accepts). */
  unsupportedPatchOfCustomResource: () => new ApiError(415, 'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml'),
  unsupportedMediaType: (type: string) => new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type})`),
  /** NewTooManyRequests: details always present, with retryAfterSeconds when known. */
  tooManyRequests: (message: string, retryAfterSeconds?: number) => new ApiError(429, 'TooManyRequests', message, retryAfterSeconds ? { retryAfterSeconds } : {}),
  /** NewInternalError: the error is also the one cause. */
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }),
  unavailable: (message: string) => new ApiError(503, 'ServiceUnavailable', message),
};

export function successStatus(details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details) s.details = details;
  return s;
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return errors.internal(msg);
}
