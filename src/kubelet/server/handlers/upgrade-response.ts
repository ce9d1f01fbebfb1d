// Answers an upgrade request that cannot be upgraded with a metav1.Status: kubectl decodes the
// body of a failed upgrade as a Status (and would read plain text as an empty YAML one), then
// prints "Error from server (NotFound): …".
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';

const reasons: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound' };

export function rejectUpgrade(socket: Duplex, statusCode: number, message: string): void {
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reasons[statusCode] ?? 'InternalError', code: statusCode };
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function unsupportedUpgrade(request: IncomingMessage): string {
  return `unable to upgrade connection: unsupported upgrade protocol ${JSON.stringify(request.headers.upgrade ?? '')}; this kubelet speaks WebSocket (v5.channel.k8s.io, v4.channel.k8s.io) for exec and attach`;
}
