// What node:http asks of a socket besides reading and writing, for connections that are not
// kernel sockets (in-memory loopback, a MessagePort to another thread): an idle timeout that
// emits 'timeout' (the HTTP server closes idle keep-alive connections through it), and the
// TCP-only knobs, which do not apply. Both kinds also collect the writes of one tick and hand
// them over together, as the kernel would coalesce them: subclasses say how (enqueue).
import { Duplex, type DuplexOptions } from 'node:stream';

export abstract class SocketLikeDuplex extends Duplex {
  /** The idle timeout in ms (0: none); node's http Agent reads it as net.Socket's. */
  timeout = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Written but not yet handed over. */
  protected outgoing: Buffer[] = [];
  protected outgoingBytes = 0;

  constructor(options: DuplexOptions) {
    super(options);
  }

  setTimeout(timeoutMs: number, callback?: () => void): this {
    this.timeout = timeoutMs;
    if (callback) this.once('timeout', callback);
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (timeoutMs > 0) {
      this.idleTimer = setTimeout(() => this.emit('timeout'), timeoutMs);
      // Like a socket's timeout, it does not keep the process alive.
      this.idleTimer.unref();
    }
    return this;
  }

  // Nagle and TCP keep-alive do not apply.
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.enqueue(chunk, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    for (let i = 0; i < chunks.length - 1; i++) this.stage(chunks[i]!.chunk);
    this.enqueue(chunks[chunks.length - 1]!.chunk, callback);
  }

  /** Takes a write: stage it, arrange its hand-over, and call back once there is room for more. */
  protected abstract enqueue(chunk: Buffer, callback: (error?: Error | null) => void): void;

  protected stage(chunk: Buffer): void {
    this.outgoing.push(chunk);
    this.outgoingBytes += chunk.length;
  }

  /** Traffic in either direction restarts the idle timeout, as on a socket. */
  protected touch(): void {
    this.idleTimer?.refresh();
  }

  protected stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
