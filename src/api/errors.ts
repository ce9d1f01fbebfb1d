// One error type that carries its HTTP answer: a metav1.Status. Handlers throw these;
// only the HTTP edge turns them into responses (see apiserver/respond.ts).
import { formatFieldErrors, type FieldError } from './field-errors.js';
import { groupKind, groupResource } from './object.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason | '';
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  toStatus(): Status {
    const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** Names a resource in messages: `pods "web"` or `deployments.apps "web"`. */
export interface ResourceRef {
  group: string;
  resource: string;
  kind?: string;
}

export function notFound(ref: ResourceRef, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${groupResource(ref.group, ref.resource)} "${name}" not found`, { name, group: ref.group || undefined, kind: ref.resource });
}

export function alreadyExists(ref: ResourceRef, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${groupResource(ref.group, ref.resource)} "${name}" already exists`, { name, group: ref.group || undefined, kind: ref.resource });
}

export function conflict(ref: ResourceRef, name: string, why: string): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${groupResource(ref.group, ref.resource)} "${name}": ${why}`, {
    name,
    group: ref.group || undefined,
    kind: ref.resource,
  });
}

export const staleObjectMessage = 'the object has been modified; please apply your changes to the latest version and try again';

export function invalid(group: string, kind: string, name: string, errors: readonly FieldError[]): StatusError {
  return new StatusError(422, 'Invalid', `${groupKind(group, kind)} "${name}" is invalid: ${formatFieldErrors(errors)}`, {
    name,
    group: group || undefined,
    kind,
    causes: errors.map((e) => {
      const body = formatFieldErrors([{ ...e, field: '' }]);
      return { reason: e.type, message: body, field: e.field };
    }),
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError(401, 'Unauthorized', message);
}

export function forbidden(ref: ResourceRef, name: string, why: string): StatusError {
  const what = name ? `${groupResource(ref.group, ref.resource)} "${name}"` : groupResource(ref.group, ref.resource);
  return new StatusError(403, 'Forbidden', `${what} is forbidden: ${why}`, { name: name || undefined, group: ref.group || undefined, kind: ref.resource });
}

export function methodNotSupported(ref: ResourceRef, verb: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${groupResource(ref.group, ref.resource)}"`, {
    group: ref.group || undefined,
    kind: ref.resource,
  });
}

export function resourceExpired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Gone', message);
}

export function requestEntityTooLarge(message: string): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`, undefined);
}

export function notAcceptable(message: string): StatusError {
  return new StatusError(406, 'NotAcceptable', message);
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}
