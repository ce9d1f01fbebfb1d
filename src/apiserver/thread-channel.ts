// The main thread's side of a worker's request channel (src/client/thread-channel.ts): each
// request frame becomes a request/response pair shaped as node's IncomingMessage and
// ServerResponse are, as far as the API server's handlers use them, and goes to the same request
// listener as HTTPS and loopback requests. The answer travels back as frames, batched per turn of
// the event loop. A stream's writes wait once the reader has threadStreamHighWaterMark units
// unacknowledged, so write() returns false and 'drain' follows, as on a socket.
import { Readable, Writable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { FrameBatch, threadStreamHighWaterMark, unitsOf, type ClientFrame, type ServerFrame } from '../client/thread-channel.js';

export interface ThreadChannelOptions {
  /** node's 'request' listener: the API server's front. */
  listener: (request: ThreadRequest, response: ThreadResponse) => void;
  /** What `request.socket` is for these requests: the API server knows who opened the channel by it. */
  socket: object;
  /** An error code when requests are refused (the server is shutting down), else undefined. */
  refusal: () => string | undefined;
}

export interface ServedThreadChannel {
  /** Resolves once no request of the channel is in flight (after close(), none will start). */
  idle(): Promise<void>;
  close(): void;
}

export function serveThreadChannel(port: MessagePort, options: ThreadChannelOptions): ServedThreadChannel {
  const out = new FrameBatch<ServerFrame>((frames) => port.postMessage(frames));
  const inFlight = new Map<number, { request: ThreadRequest; response: ThreadResponse }>();
  const idleWaiters: (() => void)[] = [];
  let closed = false;
  const forget = (id: number): void => {
    inFlight.delete(id);
    if (inFlight.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const start = (id: number, head: string, body: Uint8Array | null): void => {
    const refused = closed ? 'ECONNREFUSED' : options.refusal();
    if (refused) return out.push(['fail', id, refused, `connect ${refused}: the API server is not serving`]);
    const parsed = parseHead(head);
    if (!parsed) return out.push(['fail', id, 'HPE_INVALID_CONSTANT', 'Parse Error: invalid request head']);
    const request = new ThreadRequest(parsed, options.socket, body);
    const response = new ThreadResponse(id, out);
    inFlight.set(id, { request, response });
    response.once('close', () => {
      forget(id);
      // As a socket's requests: done once their response is.
      request.finished();
    });
    options.listener(request, response);
  };

  port.on('message', (frames: ClientFrame[]) => {
    for (const frame of frames) {
      if (frame[0] === 'request') start(frame[1], frame[2], frame[3]);
      else if (frame[0] === 'ack') inFlight.get(frame[1])?.response.acknowledged(frame[2]);
      else inFlight.get(frame[1])?.response.abort();
    }
  });
  // The worker ended (or closed the channel): its requests are aborted, as on a lost connection.
  port.on('close', () => {
    closed = true;
    for (const { response } of [...inFlight.values()]) response.abort();
  });

  return {
    idle: () => (inFlight.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    close() {
      closed = true;
      out.flush();
      port.close();
    },
  };
}

interface RequestHead {
  method: string;
  url: string;
  headers: Record<string, string>;
  rawHeaders: string[];
}

/** "METHOD target HTTP/1.1" then "Name: value" lines, as the worker's transport writes them; undefined otherwise. */
export function parseHead(head: string): RequestHead | undefined {
  const lines = head.split('\r\n');
  const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec(lines[0] ?? '');
  if (!requestLine) return undefined;
  const headers: Record<string, string> = {};
  const rawHeaders: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    rawHeaders.push(name, value);
    const key = name.toLowerCase();
    // As node joins repeated headers (most with ", ").
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return { method: requestLine[1]!, url: requestLine[2]!, headers, rawHeaders };
}

/** The request as the handlers read it: method, url, headers, socket, and the body as a stream. */
export class ThreadRequest extends Readable {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly rawHeaders: string[];
  readonly httpVersion = '1.1';
  readonly socket: object;

  constructor(head: RequestHead, socket: object, body: Uint8Array | null) {
    // 'close' means the exchange is over (response done or client gone), as for a request on a
    // socket; reading the body to its end must not emit it.
    super({ autoDestroy: false });
    this.method = head.method;
    this.url = head.url;
    this.headers = head.headers;
    this.rawHeaders = head.rawHeaders;
    this.socket = socket;
    if (body !== null && body.byteLength > 0) this.push(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    this.push(null);
  }

  override _read(): void {}

  finished(): void {
    if (!this.destroyed) this.destroy();
  }
}

/** The response as the handlers write it: status and headers, then chunks, as node's ServerResponse. */
export class ThreadResponse extends Writable {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  private readonly headerValues = new Map<string, { name: string; value: string | string[] }>();
  /** Units sent and not yet acknowledged by the reader. */
  private unacknowledged = 0;
  private held: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly id: number,
    private readonly out: FrameBatch<ServerFrame>,
  ) {
    super({ decodeStrings: false, highWaterMark: threadStreamHighWaterMark });
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    this.headerValues.set(name.toLowerCase(), { name, value: typeof value === 'number' ? String(value) : Array.isArray(value) ? [...value] : (value as string) });
    return this;
  }

  getHeader(name: string): string | string[] | undefined {
    return this.headerValues.get(name.toLowerCase())?.value;
  }

  getHeaders(): Record<string, string | string[]> {
    const headers: Record<string, string | string[]> = {};
    for (const [key, { value }] of this.headerValues) headers[key] = value;
    return headers;
  }

  hasHeader(name: string): boolean {
    return this.headerValues.has(name.toLowerCase());
  }

  removeHeader(name: string): void {
    this.headerValues.delete(name.toLowerCase());
  }

  writeHead(statusCode: number, message?: string | Record<string, number | string | string[]>, headers?: Record<string, number | string | string[]>): this {
    this.statusCode = statusCode;
    const fields = typeof message === 'string' ? headers : message;
    if (typeof message === 'string') this.statusMessage = message;
    for (const [name, value] of Object.entries(fields ?? {})) this.setHeader(name, value);
    this.sendHead();
    return this;
  }

  flushHeaders(): void {
    this.sendHead();
  }

  /** The reader consumed this much: held writes go on. */
  acknowledged(units: number): void {
    this.unacknowledged -= units;
    if (this.held && this.unacknowledged < threadStreamHighWaterMark) {
      const held = this.held;
      this.held = undefined;
      held();
    }
  }

  /** The client went away (cancelled, or its thread ended): the exchange is over, unanswered. */
  abort(): void {
    this.ended = true;
    this.destroy();
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.ended) return callback(brokenPipe());
    this.sendHead();
    // A copy: structured clone copies a Uint8Array's bytes, never the whole pool a Buffer may view.
    const data = typeof chunk === 'string' ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.out.push(['data', this.id, data]);
    this.unacknowledged += unitsOf(data);
    if (this.unacknowledged < threadStreamHighWaterMark) callback();
    else this.held = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.ended) {
      this.sendHead();
      this.out.push(['end', this.id]);
      this.ended = true;
    }
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Destroyed before it ended (a handler gave up mid-answer): the client sees a hang-up.
    if (!this.ended) {
      this.ended = true;
      this.out.push(['fail', this.id, 'ECONNRESET', 'socket hang up']);
    }
    const held = this.held;
    this.held = undefined;
    held?.();
    callback(error);
  }

  private sendHead(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.out.push(['head', this.id, this.statusCode, this.getHeaders()]);
  }
}

function brokenPipe(): Error {
  return Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
}
