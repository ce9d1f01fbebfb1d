// A kubelet's non-success answer becomes a Status, as upstream's generic response checker does
// (NewGenericServerResponse): the code kept, the kubelet's text as the message.
import type { IncomingMessage } from 'node:http';
import { StatusError, type StatusReason } from '../../api/errors.js';

/** Bytes of a kubelet error body kept for the message. */
export const backendErrorBodyMaxBytes = 64 * 1024;

const reasons: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export async function backendError(response: IncomingMessage): Promise<StatusError> {
  let body = Buffer.alloc(0);
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (body.length < backendErrorBodyMaxBytes) body = Buffer.concat([body, chunk]).subarray(0, backendErrorBodyMaxBytes);
  }
  const code = response.statusCode ?? 500;
  const message = body.toString('utf8').trim() || `the server rejected our request for an unknown reason`;
  return new StatusError(code, reasons[code] ?? 'InternalError', message);
}
