// exec and attach over SPDY/3.1 (kubectl before 1.30, or when WebSocket fails): after the
// upgrade the client opens one stream per stdio stream plus an error stream (and a resize stream
// with a TTY), named by their "streamtype" header; the status goes on the error stream as JSON
// (protocol v4.channel.k8s.io).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { BadRequestError } from '../errors.js';
import { SpdySession, type SpdyStream } from '../spdy/session.js';
import { parseResize } from './channel.js';
import type { StreamOptions } from './stream-options.js';
import type { StreamTransport } from './transport.js';

export const spdyStreamProtocols = ['v4.channel.k8s.io'] as const;
/** How long the client has to open its streams after the upgrade (upstream's streamCreationTimeout). */
export const streamCreationTimeoutMs = 30_000;

export function isSpdyUpgrade(request: IncomingMessage): boolean {
  return (request.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1';
}

function negotiate(request: IncomingMessage): string {
  const offered = String(request.headers['x-stream-protocol-version'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const chosen = spdyStreamProtocols.find((p) => offered.includes(p));
  if (!chosen) throw new BadRequestError(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${spdyStreamProtocols.join(' ')}]`);
  return chosen;
}

export async function acceptSpdyStreams(request: IncomingMessage, socket: Duplex, head: Buffer, options: StreamOptions): Promise<StreamTransport> {
  const protocol = negotiate(request);
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
  const expected = new Set(['error', ...(options.stdin ? ['stdin'] : []), ...(options.stdout ? ['stdout'] : []), ...(options.stderr ? ['stderr'] : []), ...(options.tty ? ['resize'] : [])]);
  const streams = new Map<string, SpdyStream>();
  let closed = false;
  const closeHandlers: (() => void)[] = [];
  let ready: () => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const complete = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  const session = new SpdySession({
    send: (data) => void socket.write(data),
    onStream: (stream) => {
      const type = stream.headers.streamtype ?? '';
      if (!expected.has(type) || streams.has(type)) return stream.cancel();
      streams.set(type, stream);
      if (streams.size === expected.size) ready();
    },
    onClose: () => socket.end(),
  });
  socket.on('data', (chunk: Buffer) => session.receive(chunk));
  socket.on('close', () => {
    closed = true;
    session.close();
    failed(new Error('the client went away before opening its streams'));
    for (const handler of closeHandlers) handler();
  });
  if (head.length > 0) session.receive(head);
  const timer = setTimeout(() => failed(new Error(`timed out waiting for the client to create streams ${[...expected].join(', ')}`)), streamCreationTimeoutMs);
  try {
    await complete;
  } catch (error) {
    socket.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const stream = (type: string): SpdyStream | undefined => streams.get(type);
  return {
    onStdin: (handler) => stream('stdin')?.on('data', handler),
    onStdinEnd: (handler) => stream('stdin')?.on('end', handler),
    onResize: (handler) =>
      stream('resize')?.on('data', (data) => {
        // Each resize is one JSON object; a TTY client writes them one at a time.
        const size = parseResize(data);
        if (size) handler(size);
      }),
    onClose: (handler) => closeHandlers.push(handler),
    async write(type, data) {
      stream(type)?.write(data);
    },
    async finish(status) {
      stream('error')?.write(Buffer.from(JSON.stringify(status)));
      for (const s of streams.values()) s.end();
      session.close();
      socket.end();
    },
    get closed() {
      return closed;
    },
  };
}
