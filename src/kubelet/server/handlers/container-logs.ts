// GET /containerLogs/{namespace}/{pod}/{container}: the container's log as plain text, streamed
// (chunked) so that follow reaches the client line by line.
import type { ServerResponse } from 'node:http';
import { BadRequestError, NotFoundError } from '../errors.js';
import { parseLogOptions } from '../logs/log-options.js';
import { readContainerLog } from '../logs/log-reader.js';
import type { PodContainerLocator } from '../types.js';

export async function serveContainerLogs(
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
  // The response closes when the client goes away (a follow ends with it).
  response.on('close', () => abort.abort());
  const sendHeaders = (): void => {
    response.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    response.flushHeaders();
  };
  try {
    await readContainerLog(path, options, response, { isRunning: running, signal: abort.signal, onOpen: sendHeaders });
  } catch (error) {
    // A container whose log file is gone (removed with its pod) answers as the kubelet does.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !response.headersSent) {
      throw new NotFoundError(`failed to try resolving symlinks in path "${path}": lstat ${path}: no such file or directory`);
    }
    throw error;
  }
  response.end();
}
