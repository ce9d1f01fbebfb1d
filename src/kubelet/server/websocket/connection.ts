// A server-side WebSocket on an upgraded socket: the handshake, messages reassembled from
// fragments, ping answered, close handshake. Kept small because the stream protocols send only
// binary messages.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { encodeFrame, FrameDecoder, FrameTooLargeError, maxMessageBytes, opcode } from './frame.js';

const acceptGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Bytes queued to the socket before the sender should wait for 'drain'. */
export const sendHighWaterBytes = 4 * 1024 * 1024;

export function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return (request.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The client's offered subprotocols, in its order. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  const text = Array.isArray(header) ? header.join(',') : header ?? '';
  return text.split(',').map((p) => p.trim()).filter(Boolean);
}

export interface WebSocketEvents {
  message: [Buffer];
  close: [];
}

export class WebSocket extends EventEmitter<WebSocketEvents> {
  private readonly decoder = new FrameDecoder();
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  private closed = false;
  /** Messages that arrived before anyone listened (the command was still starting). */
  private backlog: Buffer[] | undefined = [];
  private backlogBytes = 0;

  private constructor(readonly socket: Duplex, readonly protocol: string) {
    super();
    (this as EventEmitter).on('newListener', (event: string | symbol) => {
      if (event !== 'message' || !this.backlog) return;
      const backlog = this.backlog;
      this.backlog = undefined;
      queueMicrotask(() => {
        for (const message of backlog) this.emit('message', message);
      });
    });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  /** Completes the handshake with the chosen subprotocol; head is what the HTTP parser read past the headers. */
  static accept(request: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): WebSocket {
    const key = String(request.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(key + acceptGuid).digest('base64');
    const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`];
    if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    const ws = new WebSocket(socket, protocol);
    if (head.length > 0) queueMicrotask(() => ws.receive(head));
    return ws;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends one binary message; resolves when the socket can take more (backpressure). */
  send(data: Buffer): Promise<void> {
    if (this.closed) return Promise.resolve();
    const ok = this.socket.write(encodeFrame(opcode.binary, data));
    if (ok || this.socket.writableLength < sendHighWaterBytes) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.once('drain', done);
      this.socket.once('close', done);
    });
  }

  /** Starts the close handshake; the socket ends after the peer's close or a short wait. */
  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.write(encodeFrame(opcode.close, payload));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2_000).unref();
    this.finish();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  private receive(chunk: Buffer): void {
    let frames;
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.close(error instanceof FrameTooLargeError ? 1009 : 1002);
      return;
    }
    for (const frame of frames) {
      if (frame.opcode === opcode.close) {
        this.close(1000);
        return;
      }
      if (frame.opcode === opcode.ping) {
        if (!this.closed) this.socket.write(encodeFrame(opcode.pong, frame.payload));
        continue;
      }
      if (frame.opcode === opcode.pong) continue;
      this.fragments.push(frame.payload);
      this.fragmentBytes += frame.payload.length;
      if (this.fragmentBytes > maxMessageBytes) {
        this.close(1009);
        return;
      }
      if (frame.fin) {
        const message = this.fragments.length === 1 ? this.fragments[0]! : Buffer.concat(this.fragments);
        this.fragments = [];
        this.fragmentBytes = 0;
        this.deliver(message);
      }
    }
  }

  private deliver(message: Buffer): void {
    if (!this.backlog) {
      this.emit('message', message);
      return;
    }
    this.backlogBytes += message.length;
    if (this.backlogBytes > maxMessageBytes) {
      this.close(1009);
      return;
    }
    this.backlog.push(message);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}
