// Ordinary (non-watch) requests of an in-process component over loopback connections, without
// node's http client: its ClientRequest, Agent and response streams cost more CPU per request
// than the API server's own handling of a binding. The bytes sent are exactly what node's client
// sent (transport-wire.test.ts pins them); the answers come from node's HTTP server, so the
// response parser only needs what that server writes: a status line, headers, then a body by
// Content-Length, chunked, or up to EOF. Keep-alive connections are pooled like the Agent did.
import type { Duplex } from 'node:stream';
import type { LoopbackConnector } from './loopback.js';

export interface LoopbackAnswer {
  statusCode: number;
  retryAfter: string | undefined;
  body: string;
}

export interface LoopbackRequestOptions {
  /** The whole request head up to and including the blank line. */
  head: string;
  payload: Buffer | undefined;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** Pool of keep-alive connections: at most maxConnections, further requests wait in order. */
export class LoopbackRequester {
  private readonly idle: LoopbackConnection[] = [];
  private readonly waiting: (() => void)[] = [];
  private open = 0;
  private closed = false;

  constructor(private readonly connect: LoopbackConnector, private readonly maxConnections: number) {}

  async send(options: LoopbackRequestOptions): Promise<LoopbackAnswer> {
    const connection = await this.acquire();
    try {
      return await connection.exchange(options);
    } finally {
      this.release(connection);
    }
  }

  /** Ends idle connections; those in use end once their answer is in (as Agent.destroy() with keep-alive). */
  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.destroy();
  }

  private async acquire(): Promise<LoopbackConnection> {
    for (;;) {
      const reused = this.idle.pop();
      if (reused) {
        if (reused.usable) return reused;
        continue;
      }
      if (this.open < this.maxConnections) {
        // connect() throws ECONNREFUSED when the server no longer accepts, failing the request.
        const connection = new LoopbackConnection(this.connect(), () => this.forget(connection));
        this.open++;
        return connection;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(connection: LoopbackConnection): void {
    if (connection.usable && !this.closed) this.idle.push(connection);
    else connection.destroy();
    this.waiting.shift()?.();
  }

  /** A connection that ended (either side): it no longer counts towards the limit. */
  private forget(connection: LoopbackConnection): void {
    const index = this.idle.indexOf(connection);
    if (index >= 0) this.idle.splice(index, 1);
    this.open--;
    this.waiting.shift()?.();
  }
}

type Framing = { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'eof' };

/** One connection, one request at a time (HTTP/1.1 without pipelining, as node's client). */
class LoopbackConnection {
  private ended = false;
  private keepAlive = true;
  private current: { resolve: (answer: LoopbackAnswer) => void; reject: (error: Error) => void; maxBytes: number; timer: NodeJS.Timeout } | undefined;
  /** Bytes received and not yet consumed (head or chunk framing split across deliveries). */
  private pending: Buffer | undefined;
  private answer: { statusCode: number; retryAfter: string | undefined } | undefined;
  private framing: Framing | undefined;
  private body: Buffer[] = [];
  private bodyBytes = 0;
  private chunkDataBytes = 0;
  private chunkCrlfBytes = 0;

  constructor(private readonly socket: Duplex, private readonly onGone: () => void) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('close', () => this.onEnd());
    socket.on('error', (error) => this.fail(error));
  }

  get usable(): boolean {
    return !this.ended && this.keepAlive;
  }

  exchange(options: LoopbackRequestOptions): Promise<LoopbackAnswer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(Object.assign(new Error(`request timed out after ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })), options.timeoutMs);
      this.current = { resolve, reject, maxBytes: options.maxResponseBytes, timer };
      this.socket.write(options.payload ? Buffer.concat([Buffer.from(options.head, 'latin1'), options.payload]) : Buffer.from(options.head, 'latin1'));
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (!this.current) {
      // Nothing was asked: a server does not talk first; treat it as a broken connection.
      this.keepAlive = false;
      this.socket.destroy();
      return;
    }
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    if (!this.answer) {
      const headEnd = data.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        this.pending = data;
        return;
      }
      if (!this.readHead(data.toString('latin1', 0, headEnd))) return;
      data = data.subarray(headEnd + 4);
    }
    this.readBody(data);
  }

  /** Status line and the headers that matter here; false when the head is not HTTP. */
  private readHead(head: string): boolean {
    const lines = head.split('\r\n');
    const statusCode = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
    if (!Number.isInteger(statusCode)) {
      this.fail(Object.assign(new Error('Parse Error: Invalid response status'), { code: 'HPE_INVALID_CONSTANT' }));
      return false;
    }
    let retryAfter: string | undefined;
    let length: number | undefined;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().endsWith('chunked');
      else if (name === 'connection') this.keepAlive = value.toLowerCase() !== 'close';
      else if (name === 'retry-after') retryAfter = value;
    }
    this.answer = { statusCode, retryAfter };
    // No body for these whatever the headers say (RFC 9112 6.3); node's server sends none.
    if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode < 200)) this.framing = { kind: 'length', remaining: 0 };
    else if (chunked) this.framing = { kind: 'chunked' };
    else if (length !== undefined) this.framing = { kind: 'length', remaining: length };
    else {
      this.framing = { kind: 'eof' };
      this.keepAlive = false;
    }
    return true;
  }

  private readBody(data: Buffer): void {
    const framing = this.framing!;
    if (framing.kind === 'length') {
      const take = Math.min(framing.remaining, data.length);
      if (take > 0 && !this.addBody(data.subarray(0, take))) return;
      framing.remaining -= take;
      if (framing.remaining === 0) this.complete();
      return;
    }
    if (framing.kind === 'eof') {
      this.addBody(data);
      return;
    }
    this.readChunks(data);
  }

  /**
   * Chunked: "<hex size>[;ext]\r\n<data>\r\n" … "0\r\n[trailers]\r\n". A chunk's data is taken as
   * it arrives (chunkDataBytes counts what is still to come), so a large chunk split over many
   * deliveries is never re-buffered; only an incomplete size line waits in `pending`.
   */
  private readChunks(data: Buffer): void {
    let offset = 0;
    for (;;) {
      if (this.chunkDataBytes > 0) {
        const take = Math.min(this.chunkDataBytes, data.length - offset);
        if (take > 0 && !this.addBody(data.subarray(offset, offset + take))) return;
        this.chunkDataBytes -= take;
        offset += take;
        if (this.chunkDataBytes > 0) return;
        this.chunkCrlfBytes = 2;
      }
      if (this.chunkCrlfBytes > 0) {
        const take = Math.min(this.chunkCrlfBytes, data.length - offset);
        this.chunkCrlfBytes -= take;
        offset += take;
        if (this.chunkCrlfBytes > 0) return;
      }
      const lineEnd = data.indexOf('\r\n', offset);
      if (lineEnd < 0) {
        if (offset < data.length) this.pending = data.subarray(offset);
        return;
      }
      const size = parseInt(data.toString('latin1', offset, lineEnd), 16);
      if (!Number.isFinite(size) || size < 0) return this.fail(Object.assign(new Error('Parse Error: Invalid character in chunk size'), { code: 'HPE_INVALID_CHUNK_SIZE' }));
      if (size === 0) {
        // The last chunk, then optional trailers and a blank line.
        if (data.indexOf('\r\n\r\n', lineEnd) >= 0) return this.complete();
        this.pending = data.subarray(offset);
        return;
      }
      this.chunkDataBytes = size;
      offset = lineEnd + 2;
    }
  }

  /** False when the answer outgrew its limit (the request has failed). */
  private addBody(part: Buffer): boolean {
    this.bodyBytes += part.length;
    if (this.bodyBytes > this.current!.maxBytes) {
      this.fail(new Error(`response larger than ${this.current!.maxBytes} bytes`));
      return false;
    }
    this.body.push(part);
    return true;
  }

  private complete(): void {
    const current = this.current!;
    const body = this.body.length === 1 ? this.body[0]! : Buffer.concat(this.body);
    const answer = { ...this.answer!, body: body.toString('utf8') };
    this.reset();
    clearTimeout(current.timer);
    current.resolve(answer);
  }

  private reset(): void {
    this.current = undefined;
    this.answer = undefined;
    this.framing = undefined;
    this.pending = undefined;
    this.body = [];
    this.bodyBytes = 0;
    this.chunkDataBytes = 0;
    this.chunkCrlfBytes = 0;
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.current && this.framing?.kind === 'eof') this.complete();
    // As node's client: a connection that ends before the answer is complete is a hang-up.
    else if (this.current) this.fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    this.socket.destroy();
    this.onGone();
  }

  private fail(error: Error): void {
    this.keepAlive = false;
    const current = this.current;
    this.reset();
    if (current) {
      clearTimeout(current.timer);
      current.reject(error);
    }
    this.socket.destroy();
  }
}
