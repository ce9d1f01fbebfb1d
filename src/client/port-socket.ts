// A connection between two threads of one process over a MessagePort: how a component running in
// a worker thread (the scheduler inside `k8ts server`) reaches the API server's handler chain in
// the main thread. Like the in-memory loopback (loopback.ts), each end behaves like a net.Socket
// as far as node:http uses one, with no TLS and no kernel; unlike it, the bytes cross a thread
// boundary, so they travel as transferred ArrayBuffers and the writer learns how much the reader
// consumed from acknowledgements instead of reading its buffer.
//
// On the port: an ArrayBuffer is data; a number acknowledges that many bytes as read; 'end' is a
// FIN; 'destroy' closes both directions. A port that closes without 'destroy' (its thread ended)
// counts as one.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { LoopbackConnector } from './loopback.js';
import { SocketLikeDuplex } from './socket-like.js';

/**
 * Bytes in flight to the reader (sent, not yet acknowledged) before the writer is held back: the
 * same order as a TCP socket's buffers, so a watch whose client stops reading pushes back on the
 * server instead of growing memory.
 */
export const portSocketHighWaterMarkBytes = 64 * 1024;
/**
 * A reader that keeps up acknowledges in steps of this many bytes, not message by message: every
 * message costs both threads, and the writer needs to hear only before it reaches the high-water
 * mark (which is why this must stay well below it).
 */
const acknowledgeStepBytes = portSocketHighWaterMarkBytes / 4;

type Control = 'end' | 'destroy';

export class PortSocket extends SocketLikeDuplex {
  private flushScheduled = false;
  /** Posted but not yet acknowledged by the reader. */
  private inFlightBytes = 0;
  /** Read and pushed, not yet acknowledged. */
  private owedBytes = 0;
  /** Our reader's buffer filled up: acknowledge when it asks for more (_read), not before. */
  private readerFull = false;
  private heldCallback: ((error?: Error | null) => void) | undefined;
  private peerGone = false;

  constructor(
    private readonly port: MessagePort,
    options: { allowHalfOpen: boolean },
  ) {
    super({ allowHalfOpen: options.allowHalfOpen, readableHighWaterMark: portSocketHighWaterMarkBytes, writableHighWaterMark: portSocketHighWaterMarkBytes });
    port.on('message', (message: ArrayBuffer | number | Control) => this.receive(message));
    port.on('close', () => this.peerClosed());
  }

  // An idle keep-alive connection must not keep its thread alive; node's Agent unrefs free sockets.
  override ref(): this {
    this.port.ref();
    return this;
  }
  override unref(): this {
    this.port.unref();
    return this;
  }

  override _read(): void {
    if (!this.readerFull) return;
    this.readerFull = false;
    this.acknowledge();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush();
    if (!this.peerGone) this.port.postMessage('end' satisfies Control);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stopIdleTimer();
    if (!this.peerGone) {
      // As closing a TCP socket: what was written still arrives, then the peer reads EOF. Messages
      // posted before close() are still delivered.
      this.flush();
      this.port.postMessage('destroy' satisfies Control);
      this.peerGone = true;
    }
    this.port.close();
    this.failHeldWrite();
    callback(error);
  }

  protected enqueue(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (this.peerGone) return callback(brokenPipe());
    this.stage(chunk);
    this.touch();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
    if (this.inFlightBytes + this.outgoingBytes < portSocketHighWaterMarkBytes) callback();
    else this.heldCallback = callback;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoingBytes === 0 || this.peerGone) return;
    // One copy into a buffer of our own, whose memory moves to the other thread: node's Buffers
    // often view a shared pool, which would be copied whole (or could not be transferred).
    const data = new Uint8Array(this.outgoingBytes);
    let offset = 0;
    for (const chunk of this.outgoing) {
      data.set(chunk, offset);
      offset += chunk.length;
    }
    this.inFlightBytes += this.outgoingBytes;
    this.outgoing = [];
    this.outgoingBytes = 0;
    this.port.postMessage(data.buffer, [data.buffer]);
  }

  private receive(message: ArrayBuffer | number | Control): void {
    if (typeof message === 'number') {
      this.inFlightBytes -= message;
      if (this.heldCallback && this.inFlightBytes + this.outgoingBytes < portSocketHighWaterMarkBytes) {
        const held = this.heldCallback;
        this.heldCallback = undefined;
        held(null);
      }
      return;
    }
    if (message === 'end') {
      this.push(null);
      return;
    }
    if (message === 'destroy') {
      this.peerClosed();
      return;
    }
    if (this.destroyed) return;
    this.touch();
    this.owedBytes += message.byteLength;
    // While our reader keeps up, acknowledge every step; once it is full, when it asks for more.
    if (!this.push(Buffer.from(message))) this.readerFull = true;
    else if (this.owedBytes >= acknowledgeStepBytes) this.acknowledge();
  }

  private acknowledge(): void {
    if (this.owedBytes === 0 || this.peerGone) return;
    this.port.postMessage(this.owedBytes);
    this.owedBytes = 0;
  }

  /** The other end is gone: read EOF after what arrived, and fail writes as to a closed socket. */
  private peerClosed(): void {
    if (this.peerGone) return;
    this.peerGone = true;
    if (!this.destroyed) this.push(null);
    this.failHeldWrite();
    this.port.close();
  }

  private failHeldWrite(): void {
    const held = this.heldCallback;
    this.heldCallback = undefined;
    held?.(brokenPipe());
  }
}

/** Messages a thread's connector posts to the thread that serves its connections. */
export interface PortConnectMessage {
  type: 'connect';
  port: MessagePort;
}

export function isPortConnectMessage(message: unknown): message is PortConnectMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'connect';
}

/**
 * The client side, in a worker: each connection is a new MessageChannel whose other port goes to
 * the serving thread through `parent` (which answers by wrapping it with portSocketServerEnd).
 */
export function portConnector(parent: MessagePort): LoopbackConnector {
  return () => {
    const { port1, port2 } = new MessageChannel();
    parent.postMessage({ type: 'connect', port: port2 } satisfies PortConnectMessage, [port2]);
    // The client's end closes when it reads EOF, as net.Socket.
    return new PortSocket(port1, { allowHalfOpen: false });
  };
}

/** The serving side of a connection a worker opened: half-open, as node's HTTP server wants. */
export function portSocketServerEnd(message: PortConnectMessage): PortSocket {
  return new PortSocket(message.port, { allowHalfOpen: true });
}

function brokenPipe(): Error {
  return Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
}
