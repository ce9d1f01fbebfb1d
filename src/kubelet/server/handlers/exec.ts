// /exec/{namespace}/{pod}/{container}?command=…: runs a command in the container, its stdio over
// a WebSocket in the v5 (or v4) channel protocol.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { BadRequestError, NotFoundError } from '../errors.js';
import { internalErrorStatus, negotiate, remoteCommandProtocols } from '../streams/channel.js';
import { acceptSpdyStreams, isSpdyUpgrade } from '../streams/spdy-transport.js';
import { websocketTransport } from '../streams/websocket-transport.js';
import { runExecSession } from '../streams/exec-session.js';
import { parseStreamOptions } from '../streams/stream-options.js';
import type { PodContainerLocator } from '../types.js';
import { isWebSocketUpgrade, offeredProtocols, WebSocket } from '../websocket/connection.js';
import { unsupportedUpgrade } from './upgrade-response.js';

export interface StreamTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** Validates the request and opens the WebSocket; errors before the upgrade are thrown as HTTP errors. */
export async function acceptStream(request: IncomingMessage, socket: Duplex, head: Buffer, needsCommand: boolean, target: StreamTarget, locator: PodContainerLocator) {
  const query = new URL(request.url ?? '/', 'https://kubelet').searchParams;
  const options = parseStreamOptions(query, needsCommand);
  const found = await locator.container(target.namespace, target.pod, target.container);
  // The kubelet's words when the runtime has no running container by that name.
  if (!found || !found.running) throw new NotFoundError(`container not found ("${target.container}")`);
  if (isSpdyUpgrade(request)) return { transport: await acceptSpdyStreams(request, socket, head, options), options, found };
  if (!isWebSocketUpgrade(request)) throw new BadRequestError(unsupportedUpgrade(request));
  const protocol = negotiate(offeredProtocols(request), remoteCommandProtocols);
  if (!protocol) throw new BadRequestError(`unable to upgrade connection: none of the offered subprotocols [${offeredProtocols(request).join(' ')}] is supported; supported: [${remoteCommandProtocols.join(' ')}]`);
  const ws = WebSocket.accept(request, socket, head, protocol);
  return { transport: websocketTransport(ws), options, found };
}

export async function serveExec(request: IncomingMessage, socket: Duplex, head: Buffer, target: StreamTarget, locator: PodContainerLocator): Promise<void> {
  const { transport, options, found } = await acceptStream(request, socket, head, true, target, locator);
  let child;
  try {
    child = await locator.runtime.exec(found.containerId, options.command, { tty: options.tty });
  } catch (error) {
    await transport.finish(internalErrorStatus(`error executing command in container: ${(error as Error).message}`));
    return;
  }
  const exec = child;
  await runExecSession(transport, exec, options, (size) => locator.runtime.resizeExecTerminal(exec, { rows: size.height, cols: size.width }));
}
