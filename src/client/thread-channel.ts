// Requests of a component in a worker thread (the scheduler inside `k8ts server`) to the API
// server on the main thread, over one MessagePort and without HTTP framing. The main thread
// serves them with the API server's own handler chain (src/apiserver/thread-channel.ts), so they
// are the same requests as over HTTP; what goes is the work around them: node's HTTP parser and
// message objects on both sides, and a message per connection per turn of the event loop. Here
// every frame of a turn travels in one message, and waking a sleeping thread (tens of µs on a
// small VM) happens once per turn, not once per connection.
//
// A request is its HTTP head (exactly what the transport would write on a connection) and body;
// an answer is a head (status, headers), data chunks and an end. Streams (watches) are answers
// whose chunks the reader acknowledges, so a slow reader holds the server's writes back.
import { Readable } from 'node:stream';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { LoopbackAnswer, LoopbackRequestOptions } from './loopback-requests.js';

/** What the worker sends. A request's id is unique on its channel; ack counts consumed units. */
export type ClientFrame = ['request', number, string, Uint8Array | null] | ['ack', number, number] | ['cancel', number];
/** What the main thread answers. A chunk's units are its length (string) or byteLength (bytes). */
export type ServerFrame = ['head', number, number, Record<string, string | string[]>] | ['data', number, string | Uint8Array] | ['end', number] | ['fail', number, string, string];

/** Messages a worker posts to its parent to open a channel. */
export interface ThreadChannelMessage {
  type: 'thread-channel';
  port: MessagePort;
}

export function isThreadChannelMessage(message: unknown): message is ThreadChannelMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'thread-channel';
}

/**
 * Units (characters or bytes) a stream's reader may have outstanding before the server holds its
 * writes: as a TCP socket's buffers, so a watch whose consumer stops reading pushes back.
 */
export const threadStreamHighWaterMark = 64 * 1024;
/**
 * Ordinary requests of one client in flight at once; more wait their turn. As the 128 loopback
 * connections before it, this bounds how much of a component's work the server has at once
 * (upstream's clients multiplex over HTTP/2 with a stream limit the same way). Watches do not count.
 */
export const threadChannelMaxRequests = 128;
/** A reader that keeps up acknowledges in steps this large rather than per chunk. */
const acknowledgeStep = threadStreamHighWaterMark / 4;

export function unitsOf(chunk: string | Uint8Array): number {
  return typeof chunk === 'string' ? chunk.length : chunk.byteLength;
}

/**
 * Collects the frames of one turn of the event loop and posts them as one message. A batch holds
 * no more than what may be in flight: threadChannelMaxRequests requests one way, their answers
 * and a high-water mark of chunks per stream the other.
 */
export class FrameBatch<F> {
  private frames: F[] = [];

  constructor(private readonly post: (frames: F[]) => void) {}

  push(frame: F): void {
    if (this.frames.length === 0) process.nextTick(() => this.flush());
    this.frames.push(frame);
  }

  flush(): void {
    if (this.frames.length === 0) return;
    const frames = this.frames;
    this.frames = [];
    this.post(frames);
  }
}

interface AnswerCall {
  kind: 'answer';
  resolve: (answer: LoopbackAnswer) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  maxBytes: number;
  statusCode: number;
  retryAfter: string | undefined;
  chunks: (string | Uint8Array)[];
  units: number;
}

interface StreamCall {
  kind: 'stream';
  resolve: (response: ThreadStreamResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
  response: ThreadStreamResponse | undefined;
}

/** The worker's side: what the transport uses in place of connections. */
export class ThreadChannelClient {
  private channel: { port: MessagePort; out: FrameBatch<ClientFrame>; answered: boolean } | undefined;
  private readonly calls = new Map<number, AnswerCall | StreamCall>();
  private nextId = 1;
  private closed = false;
  /** Ordinary requests sent and not answered, and those waiting for one of them to finish. */
  private requestsInFlight = 0;
  private readonly waiting: (() => void)[] = [];

  /** `parent` is where channels are opened: the worker's parentPort. */
  constructor(private readonly parent: MessagePort) {}

  /** Ordinary requests sent and not yet answered (at most threadChannelMaxRequests). */
  get requestsSent(): number {
    return this.requestsInFlight;
  }

  /** An ordinary request: resolves with the whole answer. */
  async send(options: LoopbackRequestOptions): Promise<LoopbackAnswer> {
    if (this.requestsInFlight >= threadChannelMaxRequests) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.requestsInFlight++;
    try {
      return await this.exchange(options);
    } finally {
      this.requestsInFlight--;
      this.waiting.shift()?.();
    }
  }

  private exchange(options: LoopbackRequestOptions): Promise<LoopbackAnswer> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => this.abandon(id, timeoutError(options.timeoutMs)), options.timeoutMs);
      this.calls.set(id, { kind: 'answer', resolve, reject, timer, maxBytes: options.maxResponseBytes, statusCode: 0, retryAfter: undefined, chunks: [], units: 0 });
      this.start(id, options.head, options.payload);
    });
  }

  /** A streaming request (a watch): resolves once the answer's head arrived; its body is the returned Readable. */
  stream(head: string, headTimeoutMs: number): Promise<ThreadStreamResponse> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const timer = setTimeout(() => this.abandon(id, timeoutError(headTimeoutMs)), headTimeoutMs);
      this.calls.set(id, { kind: 'stream', resolve, reject, timer, response: undefined });
      this.start(id, head, undefined);
    });
  }

  /** Fails what is in flight and closes the channel; later requests are refused. */
  close(): void {
    this.closed = true;
    const channel = this.channel;
    this.channel = undefined;
    this.failAll(Object.assign(new Error('the client was closed'), { code: 'ECONNRESET' }));
    channel?.port.close();
  }

  private start(id: number, head: string, payload: Buffer | undefined): void {
    if (this.closed) return this.finish(id, Object.assign(new Error('connect ECONNREFUSED: the client was closed'), { code: 'ECONNREFUSED' }));
    const channel = (this.channel ??= this.open());
    if (this.calls.size === 1) channel.port.ref();
    // A copy of the body (node's Buffers often view a shared pool): structured clone copies it.
    channel.out.push(['request', id, head, payload === undefined ? null : new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)]);
  }

  private open(): { port: MessagePort; out: FrameBatch<ClientFrame>; answered: boolean } {
    const { port1, port2 } = new MessageChannel();
    const channel = { port: port1, out: new FrameBatch<ClientFrame>((frames) => port1.postMessage(frames)), answered: false };
    port1.on('message', (frames: ServerFrame[]) => {
      channel.answered = true;
      for (const frame of frames) this.receive(frame);
    });
    // The main thread closed it (refused, or its server stopped): what was in flight fails as on a
    // lost connection; the next request opens a new channel.
    port1.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.failAll(channel.answered ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    });
    this.parent.postMessage({ type: 'thread-channel', port: port2 } satisfies ThreadChannelMessage, [port2]);
    return channel;
  }

  private receive(frame: ServerFrame): void {
    const id = frame[1];
    const call = this.calls.get(id);
    if (call === undefined) return;
    switch (frame[0]) {
      case 'head': {
        const [, , statusCode, headers] = frame;
        if (call.kind === 'answer') {
          call.statusCode = statusCode;
          const retryAfter = headers['retry-after'];
          call.retryAfter = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
          return;
        }
        clearTimeout(call.timer);
        call.timer = undefined;
        call.response = new ThreadStreamResponse(statusCode, headers, (units) => this.acknowledge(id, units), () => this.abandon(id));
        call.resolve(call.response);
        return;
      }
      case 'data': {
        const chunk = frame[2];
        if (call.kind === 'stream') {
          call.response?.deliver(chunk);
          return;
        }
        call.units += unitsOf(chunk);
        if (call.units > call.maxBytes) return this.abandon(id, new Error(`response larger than ${call.maxBytes} bytes`));
        call.chunks.push(chunk);
        return;
      }
      case 'end':
        if (call.kind === 'stream') {
          this.forget(id);
          call.response?.push(null);
          return;
        }
        this.forget(id);
        clearTimeout(call.timer);
        call.resolve({ statusCode: call.statusCode, retryAfter: call.retryAfter, body: joinBody(call.chunks) });
        return;
      case 'fail':
        this.finish(id, Object.assign(new Error(frame[3]), { code: frame[2] }));
        return;
    }
  }

  private acknowledge(id: number, units: number): void {
    if (this.calls.has(id)) this.channel?.out.push(['ack', id, units]);
  }

  /** Gives up a call (timeout, oversized answer, a stream destroyed by its reader) and tells the server. */
  private abandon(id: number, error?: Error): void {
    if (!this.calls.has(id)) return;
    this.channel?.out.push(['cancel', id]);
    this.finish(id, error ?? Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
  }

  private finish(id: number, error: Error): void {
    const call = this.calls.get(id);
    this.forget(id);
    if (call === undefined) return;
    clearTimeout(call.timer);
    if (call.kind === 'stream' && call.response) call.response.destroy(error);
    else call.reject(error);
  }

  private forget(id: number): void {
    if (!this.calls.delete(id)) return;
    // An idle channel (no request, no watch) must not keep the thread alive.
    if (this.calls.size === 0) this.channel?.port.unref();
  }

  private failAll(error: Error): void {
    for (const id of [...this.calls.keys()]) this.finish(id, error);
  }
}

/** A stream's answer as node's http client gives one (statusCode, headers, a Readable body). */
export class ThreadStreamResponse extends Readable {
  private owed = 0;
  private full = false;

  constructor(
    readonly statusCode: number,
    readonly headers: Record<string, string | string[]>,
    private readonly acknowledge: (units: number) => void,
    private readonly cancel: () => void,
  ) {
    super({ highWaterMark: threadStreamHighWaterMark });
  }

  /** A chunk from the server: acknowledged at once while the reader keeps up, else when it asks for more. */
  deliver(chunk: string | Uint8Array): void {
    if (this.destroyed) return;
    this.owed += unitsOf(chunk);
    if (!this.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) this.full = true;
    else if (this.owed >= acknowledgeStep) this.flushAcknowledgement();
  }

  override _read(): void {
    if (!this.full) return;
    this.full = false;
    this.flushAcknowledgement();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // The reader ended it (a watch stopped): the server ends its side.
    if (!this.readableEnded) this.cancel();
    callback(error);
  }

  private flushAcknowledgement(): void {
    if (this.owed === 0) return;
    this.acknowledge(this.owed);
    this.owed = 0;
  }
}

function joinBody(chunks: (string | Uint8Array)[]): string {
  if (chunks.every((chunk) => typeof chunk === 'string')) return chunks.join('');
  // Bytes are decoded together: a character may be split between chunks.
  return Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk))).toString('utf8');
}

function timeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`request timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
}
