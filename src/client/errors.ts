// One error type for every failed API call: it carries the server's metav1.Status, so callers
// branch on reason/code the way client-go's apierrors.IsNotFound & co. do.
import type { Status, StatusDetails } from '../api/errors.js';

export type { Status, StatusDetails };

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  /** Seconds the server asked us to wait (Retry-After header or details.retryAfterSeconds). */
  readonly retryAfterSeconds: number | undefined;

  constructor(readonly status: Status, retryAfterSeconds?: number) {
    super(status.message);
    this.name = 'ApiError';
    this.code = status.code;
    this.reason = status.reason;
    this.details = status.details;
    this.retryAfterSeconds = retryAfterSeconds ?? status.details?.retryAfterSeconds;
  }
}

/** Upstream's reason for a bare HTTP code, used when a response body is not a Status (client-go's NewGenericServerResponse). */
const reasonByCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Builds the error for a non-2xx answer, preferring the Status the server sent. */
export function apiErrorFromResponse(code: number, body: string, retryAfterSeconds?: number): ApiError {
  const parsed = parseStatus(body);
  if (parsed) return new ApiError({ ...parsed, code: parsed.code || code }, retryAfterSeconds);
  const reason = reasonByCode[code] ?? (code >= 500 ? 'InternalError' : '');
  const message = body.trim() ? `the server responded with the status code ${code} but did not return more information: ${body.trim().slice(0, 200)}` : `the server responded with the status code ${code} but did not return more information`;
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reason as Status['reason'], code }, retryAfterSeconds);
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status' && typeof (value as { code?: unknown }).code === 'number';
}

function parseStatus(body: string): Status | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return isStatus(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function hasReason(error: unknown, reason: string, code: number): boolean {
  return error instanceof ApiError && (error.reason === reason || (error.reason === '' && error.code === code));
}

export const isNotFound = (error: unknown): boolean => hasReason(error, 'NotFound', 404);
export const isAlreadyExists = (error: unknown): boolean => hasReason(error, 'AlreadyExists', 409);
export const isConflict = (error: unknown): boolean => hasReason(error, 'Conflict', 409);
export const isInvalid = (error: unknown): boolean => hasReason(error, 'Invalid', 422);
export const isForbidden = (error: unknown): boolean => hasReason(error, 'Forbidden', 403);
export const isTooManyRequests = (error: unknown): boolean => hasReason(error, 'TooManyRequests', 429);
/** A watch or list from a resourceVersion that has been compacted: 410 with reason Gone or Expired. */
export const isGone = (error: unknown): boolean => error instanceof ApiError && (error.code === 410 || error.reason === 'Gone' || error.reason === 'Expired');
