// GET /containerLogs/{namespace}/{pod}/{container}: the container's log as plain text, streamed
// (chunked) so that follow reaches the client line by line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, NotFoundError } from '../errors.js';
import { parseLogOptions } from '../logs/log-options.js';
import { readContainerLog } from '../logs/log-reader.js';
import type { PodContainerLocator } from '../types.js';

export async function serveContainerLogs(
  request: IncomingMessage,
  response: ServerResponse,
  target: { namespace: string; pod: string; container: string },
  query: URLSearchParams,
  locator: PodContainerLocator,
): Promise<void> {
  const options = parseLogOptions(query);
  const found = await locator.container(target.namespace, target.pod, target.container);
  if (!found) throw new NotFoundError(`container "${target.container}" in pod "${target.pod}" is not available`);
  let path = found.logPath;
  if (options.previous) {
    if (!found.previousLogPath) throw new BadRequestError(`previous terminated container "${target.container}" in pod "${target.pod}" not found`);
    path = found.previousLogPath;
  }
  // A previous instance has exited, so following it ends at its file's end.
  const containerId = found.containerId;
  const running = options.previous ? async () => false : () => locator.isRunning(containerId);
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  request.on('close', () => abort.abort());
  const opened = readContainerLog(path, options, response, { isRunning: running, signal: abort.signal, onOpen: () => {
    response.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
  } });
  await opened.catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' && !response.headersSent) throw new NotFoundError(`failed to try resolving symlinks in path "${path}": lstat ${path}: no such file or directory`);
    throw error;
  });
  response.end();
}
