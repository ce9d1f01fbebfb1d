// An in-memory connection between a client and a server in the same process: what `k8ts server`
// gives the components it runs (scheduler, controller manager, agent, simulated nodes), so they
// still speak HTTP to the API server's handler chain but skip TLS and the kernel.
//
// Each end is a Duplex that behaves like a net.Socket as far as node:http uses one: bytes written
// to one end are read from the other, end() is a FIN, destroy() closes both directions, and an
// idle timeout (setTimeout) emits 'timeout' as a socket's does, since the HTTP server closes idle
// keep-alive connections through it.
import type { Duplex } from 'node:stream';
import { SocketLikeDuplex } from './socket-like.js';

/**
 * Bytes an end buffers for its reader before its writer is held back (write() returning false):
 * the same order as a TCP socket's buffers, so a watch whose client stops reading pushes back on
 * the server after this much instead of growing memory.
 */
export const loopbackHighWaterMarkBytes = 64 * 1024;

/** Opens a new connection and returns the client's end; throws when the server no longer accepts. */
export type LoopbackConnector = () => Duplex;

export class LoopbackSocket extends SocketLikeDuplex {
  private peer!: LoopbackSocket;
  private flushScheduled = false;
  /** A write held back until the peer's reader drains below the high-water mark. */
  private heldCallback: ((error?: Error | null) => void) | undefined;

  constructor(options: { allowHalfOpen: boolean }) {
    super({ allowHalfOpen: options.allowHalfOpen, readableHighWaterMark: loopbackHighWaterMarkBytes, writableHighWaterMark: loopbackHighWaterMarkBytes });
  }

  /** Joins two ends; only loopbackPair calls it. */
  static connect(a: LoopbackSocket, b: LoopbackSocket): void {
    a.peer = b;
    b.peer = a;
  }

  override _read(): void {
    this.peer.releaseHeldWrite();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush();
    if (!this.peer.destroyed) this.peer.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stopIdleTimer();
    // As closing a TCP socket: what was written still arrives, then the peer reads EOF.
    if (!this.peer.destroyed) {
      this.flush();
      this.peer.push(null);
    }
    // Writes waiting for room in either direction fail as writes to a closed socket do.
    this.peer.releaseHeldWrite();
    const held = this.heldCallback;
    this.heldCallback = undefined;
    held?.(brokenPipe());
    callback(error);
  }

  protected enqueue(chunk: Buffer, callback: (error?: Error | null) => void): void {
    if (this.peer.destroyed) return callback(brokenPipe());
    this.stage(chunk);
    this.touch();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Delivered on the next tick, never inside the writer's call: a server's res.end() must not
      // run the client's response handlers (and its next request) in the middle of its own stack.
      process.nextTick(() => this.flush());
    }
    if (this.peer.readableLength + this.outgoingBytes < loopbackHighWaterMarkBytes) callback();
    else this.heldCallback = callback;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.length === 0) return;
    const data = this.outgoing.length === 1 ? this.outgoing[0]! : Buffer.concat(this.outgoing);
    this.outgoing = [];
    this.outgoingBytes = 0;
    if (this.peer.destroyed) return;
    this.peer.touch();
    this.peer.push(data);
  }

  /** The peer's reader asks for more (Readable calls _read once it has room): a held write completes. */
  private releaseHeldWrite(): void {
    const held = this.heldCallback;
    if (held === undefined) return;
    this.heldCallback = undefined;
    held(this.peer.destroyed ? brokenPipe() : null);
  }
}

/** A connected pair: the client's end closes when it reads EOF (as net.Socket); the server's end stays half-open, as node's HTTP server wants. */
export function loopbackPair(): { client: LoopbackSocket; server: LoopbackSocket } {
  const client = new LoopbackSocket({ allowHalfOpen: false });
  const server = new LoopbackSocket({ allowHalfOpen: true });
  LoopbackSocket.connect(client, server);
  return { client, server };
}

/** A connector that hands each new connection's server end to `accept` (which may throw to refuse it). */
export function loopbackConnector(accept: (serverEnd: LoopbackSocket) => void): LoopbackConnector {
  return () => {
    const { client, server } = loopbackPair();
    accept(server);
    return client;
  };
}

function brokenPipe(): Error {
  return Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
}
