// The HTTP edge: the only place where values and StatusErrors become responses.
import type { ServerResponse } from 'node:http';
import { stringify as stringifyYaml } from 'yaml';
import { internalError, serviceUnavailable, StatusError } from '../../api/errors.js';

export function sendJson(response: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  response.end(text);
}

/** Sends a value in the representation the client asked for: YAML when it accepts only YAML. */
export function sendObject(response: ServerResponse, code: number, body: unknown, accept: string | undefined): void {
  if (accept && /application\/yaml/.test(accept) && !/application\/json|\*\/\*/.test(accept)) {
    const text = stringifyYaml(typeof body === 'string' ? JSON.parse(body) : body);
    response.writeHead(code, { 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
    response.end(text);
    return;
  }
  sendJson(response, code, body);
}

export function sendText(response: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  response.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  response.end(text);
}

export function toStatusError(error: unknown): StatusError {
  if (error instanceof StatusError) return error;
  // The datastore lost quorum or is unreachable: the request may be retried, nothing was half-written.
  if (error instanceof Error && error.name === 'DatastoreUnavailableError') return serviceUnavailable(error.message);
  return internalError(error instanceof Error ? error.message : String(error));
}

export function sendError(response: ServerResponse, error: unknown): void {
  const status = toStatusError(error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (status.details?.retryAfterSeconds) headers['Retry-After'] = String(status.details.retryAfterSeconds);
  const text = JSON.stringify(status.toStatus());
  response.writeHead(status.code, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  response.end(text);
}
