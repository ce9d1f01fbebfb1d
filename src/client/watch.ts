// A watch response read as an async iterator of events. The stream is paused while the consumer
// lags by watchBufferMaxEvents, so a slow consumer pushes back on the server instead of growing memory.
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../api/object.js';
import type { Status } from './errors.js';
import { eventLineWithoutManagedFields, withoutManagedFields } from './managed-fields-trim.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/** What a watch gives its consumer; WatchStream is the HTTP one, unit tests use their own. */
export interface EventStream<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
}

/** Events parsed but not yet consumed before the socket is paused. */
export const watchBufferMaxEvents = 1_000;
/** One event line may not grow beyond this; a larger one means a broken stream. */
export const watchLineMaxBytes = 64 * 1024 * 1024;

export class WatchStream<T extends KubeObject = KubeObject> implements EventStream<T> {
  private readonly buffer: WatchEvent<T>[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  private partial = '';

  /** dropManagedFields: events arrive without their object's metadata.managedFields (see managed-fields-trim.ts). */
  constructor(
    private readonly response: IncomingMessage,
    private readonly destroyRequest: () => void,
    private readonly options: { dropManagedFields?: boolean } = {},
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.onData(chunk));
    response.on('end', () => this.finish());
    response.on('close', () => this.finish());
    response.on('error', (error) => this.finish(error));
    response.on('aborted', () => this.finish(Object.assign(new Error('watch stream aborted'), { code: 'ECONNRESET' })));
  }

  /** Ends the watch; an iterator waiting for the next event finishes. */
  stop(): void {
    this.destroyRequest();
    this.finish();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    try {
      for (;;) {
        const event = this.buffer.shift();
        if (event) {
          if (this.buffer.length < watchBufferMaxEvents / 2 && this.response.isPaused()) this.response.resume();
          yield event;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    } finally {
      // A consumer that breaks out of its loop closes the stream with it.
      if (!this.ended) this.stop();
    }
  }

  /** Splits by index: no copy of the unread rest per line, and the partial tail only when there is one. */
  private onData(chunk: string): void {
    const text = this.partial === '' ? chunk : this.partial + chunk;
    this.partial = '';
    let start = 0;
    let newline: number;
    while ((newline = text.indexOf('\n', start)) >= 0) {
      let line = text.slice(start, newline);
      start = newline + 1;
      if (line.length === 0) continue;
      if (this.options.dropManagedFields) line = eventLineWithoutManagedFields(line);
      let event: WatchEvent<T>;
      try {
        // JSON.parse allows the whitespace trim() removed before; only a blank line is not JSON.
        event = JSON.parse(line) as WatchEvent<T>;
        // Text the cut could not read (not compact JSON) still loses them.
        if (this.options.dropManagedFields && event.type !== 'ERROR') event.object = withoutManagedFields(event.object);
      } catch (error) {
        if (line.trim() === '') continue;
        this.finish(new Error(`watch stream: undecodable event: ${(error as Error).message}`));
        return;
      }
      this.buffer.push(event);
    }
    if (start < text.length) this.partial = start === 0 ? text : text.slice(start);
    if (this.partial.length > watchLineMaxBytes) this.finish(new Error(`watch stream: event larger than ${watchLineMaxBytes} bytes`));
    if (this.buffer.length >= watchBufferMaxEvents) this.response.pause();
    this.wake();
  }

  private finish(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    // An error after the server ended the stream cleanly (e.g. the socket closing) is not a failure.
    if (error) this.failure = error;
    if (error) this.destroyRequest();
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
