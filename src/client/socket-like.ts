// What node:http asks of a socket besides reading and writing, for connections that are not
// kernel sockets (in-memory loopback, a MessagePort to another thread): an idle timeout that
// emits 'timeout' (the HTTP server closes idle keep-alive connections through it), and the
// TCP-only knobs, which do not apply.
import { Duplex, type DuplexOptions } from 'node:stream';

export abstract class SocketLikeDuplex extends Duplex {
  /** The idle timeout in ms (0: none); node's http Agent reads it as net.Socket's. */
  timeout = 0;
  private idleTimer: NodeJS.Timeout | undefined;

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

  /** Traffic in either direction restarts the idle timeout, as on a socket. */
  protected touch(): void {
    this.idleTimer?.refresh();
  }

  protected stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
