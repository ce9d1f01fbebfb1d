// client-go's rate-limited work queue. An item (usually an "ns/name" key) is never handed to two
// workers at once: added while processing, it is only marked dirty and goes back into the queue
// on done(); added while already queued, it is de-duplicated.
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';
import { DelayedItems } from './delayed-items.js';

/** Items queued, processing and waiting to be re-added, together; past it add() throws (a runaway producer). */
export const defaultWorkQueueMaxLength = 1_000_000;

export interface WorkQueueOptions<T> {
  /** Named for logs and metrics, like client-go's queue names ("replicaset"). */
  name: string;
  rateLimiter?: RateLimiter<T>;
  maxLength?: number;
}

export class WorkQueueFullError extends Error {
  constructor(name: string, maxLength: number) {
    super(`work queue "${name}" is full (${maxLength} items)`);
    this.name = 'WorkQueueFullError';
  }
}

export class WorkQueue<T = string> {
  readonly name: string;
  private readonly queue: T[] = [];
  /** Items that need processing: queued ones, and ones re-added while processing. */
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly getters: ((item: T | undefined) => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private readonly delayed: DelayedItems<T>;
  private readonly rateLimiter: RateLimiter<T>;
  private readonly maxLength: number;
  private shuttingDown = false;

  constructor(options: WorkQueueOptions<T>) {
    this.name = options.name;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>();
    this.maxLength = options.maxLength ?? defaultWorkQueueMaxLength;
    this.delayed = new DelayedItems<T>((item) => this.add(item));
  }

  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    if (this.dirty.size + this.processing.size + this.delayed.size >= this.maxLength) throw new WorkQueueFullError(this.name, this.maxLength);
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    const getter = this.getters.shift();
    if (getter) return this.handOut(item, getter);
    this.queue.push(item);
  }

  /** Waits for the next item; undefined once the queue is shutting down and empty. */
  get(): Promise<T | undefined> {
    const item = this.queue.shift();
    if (item !== undefined) return new Promise((resolve) => this.handOut(item, resolve));
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks item processed; if it was added meanwhile it is queued again. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      const getter = this.getters.shift();
      if (getter) this.handOut(item, getter);
      else this.queue.push(item);
    }
    if (this.processing.size === 0) for (const waiter of this.drainWaiters.splice(0)) waiter();
  }

  /** Adds item after delayMs; a shorter pending delay for the same item wins. */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(item);
    if (this.dirty.size + this.processing.size + this.delayed.size >= this.maxLength) throw new WorkQueueFullError(this.name, this.maxLength);
    this.delayed.add(item, delayMs);
  }

  /** Adds item after the rate limiter's delay (a retry after a failed sync). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.whenMs(item));
  }

  /** Stops tracking item's failures (after a successful sync). */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** Items waiting to be handed out. */
  len(): number {
    return this.queue.length;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting items; workers get what is still queued, then undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    this.delayed.clear();
    if (this.queue.length === 0) for (const getter of this.getters.splice(0)) getter(undefined);
  }

  /** shutDown(), then waits until items being processed are done. */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private handOut(item: T, resolve: (item: T | undefined) => void): void {
    this.dirty.delete(item);
    this.processing.add(item);
    resolve(item);
    // Getters parked while shutting down are released once the last queued item is out.
    if (this.shuttingDown && this.queue.length === 0) for (const getter of this.getters.splice(0)) getter(undefined);
  }
}

/** What a worker does with one item: resolve when done, throw to have it retried with backoff. */
export type SyncFunc<T> = (item: T) => Promise<void>;

export interface RunWorkersOptions<T> {
  /** Called when sync throws, before the item is requeued; defaults to console.error. */
  onError?: (item: T, error: unknown) => void;
}

/** Starts count workers doing get → sync → forget or addRateLimited → done; resolves when the queue shuts down and they have all exited. */
export async function runWorkers<T>(queue: WorkQueue<T>, count: number, sync: SyncFunc<T>, options: RunWorkersOptions<T> = {}): Promise<void> {
  const onError = options.onError ?? ((item, error) => console.error(`${queue.name}: error syncing ${String(item)}: ${(error as Error)?.message ?? String(error)}`));
  const worker = async (): Promise<void> => {
    for (;;) {
      const item = await queue.get();
      if (item === undefined) return;
      try {
        await sync(item);
        queue.forget(item);
      } catch (error) {
        onError(item, error);
        queue.addRateLimited(item);
      } finally {
        queue.done(item);
      }
    }
  };
  await Promise.all(Array.from({ length: count }, worker));
}
