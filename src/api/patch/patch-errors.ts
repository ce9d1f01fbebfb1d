// The HTTP answers upstream's PATCH handler gives when a patch cannot be applied.
// Upstream hides most apply failures behind one generic 422 message; we keep the
// underlying reason on the error (`detail`) so our logs and tests can still see it.
import { StatusError, type StatusReason } from '../errors.js';

/** What NewGenericServerResponse(422, ...) says, whatever the underlying failure was. */
export const genericUnprocessableMessage = 'the server rejected our request due to an error in our request';

export class PatchRejectedError extends StatusError {
  constructor(readonly detail: string) {
    // Upstream sends an empty (but present) details object with this response.
    super(422, 'Invalid', genericUnprocessableMessage, {});
    this.name = 'PatchRejectedError';
  }
}

/**
 * A failure upstream returns as a plain Go error: the API server answers 500 with an
 * empty reason (StatusReasonUnknown) and the raw message, so kubectl prints
 * "Error from server: <message>". Our StatusReason union has no "" member, hence the cast.
 */
export function unknownPatchError(message: string): StatusError {
  return new StatusError(500, '' as unknown as StatusReason, message);
}

/** Media types a custom resource accepts for PATCH (strategic merge patch needs Go struct tags). */
export const customResourcePatchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'] as const;

/** The 415 upstream answers when strategic merge patch is sent for a kind without patch metadata. */
export function strategicMergePatchNotSupported(): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${customResourcePatchTypes.join(', ')}`,
  );
}
