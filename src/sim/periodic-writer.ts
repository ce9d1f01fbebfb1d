// Runs one write per key every interval, for thousands of keys at once (node leases, node
// status): keys are spread evenly over the interval so writes never arrive in bursts, at most
// `concurrency` writes are in flight, and a key whose write is still running when it comes due
// again is not queued twice. A failed write is retried sooner, as the kubelet's lease controller does.
export interface PeriodicWriterOptions {
  name: string;
  intervalMs: number;
  concurrency: number;
  write(key: string): Promise<void>;
  /** A paused key is skipped (and rescheduled) when it comes due. */
  paused?(key: string): boolean;
  onError?(key: string, error: unknown): void;
  now?(): number;
}

/** How often due keys are looked for; with 5,000 keys every 10 s that is ~50 keys a tick. */
export const periodicWriterTickMs = 100;
/** A failed write is tried again after this long (or the interval, if shorter). */
export const periodicWriterRetryMs = 1_000;

export class PeriodicWriter {
  /** When each key is next due, in ms. */
  private readonly dueAtMs = new Map<string, number>();
  /** Due keys waiting for a free slot; each key at most once, so it never holds more than all keys. */
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly now: () => number;
  /** Writes finished and failed, for logs and benchmarks. */
  writes = 0;
  failures = 0;

  constructor(private readonly options: PeriodicWriterOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** Adds keys, their first writes spread evenly over one interval from now (the first at once). */
  addAll(keys: readonly string[]): void {
    const now = this.now();
    keys.forEach((key, i) => {
      if (!this.dueAtMs.has(key)) this.dueAtMs.set(key, now + (i * this.options.intervalMs) / keys.length);
    });
  }

  remove(key: string): void {
    this.dueAtMs.delete(key);
  }

  has(key: string): boolean {
    return this.dueAtMs.has(key);
  }

  get size(): number {
    return this.dueAtMs.size;
  }

  /** Makes a key due at once (a resumed heartbeat should not wait a whole interval). */
  kick(key: string): void {
    if (!this.dueAtMs.has(key)) return;
    this.dueAtMs.set(key, this.now());
    this.tick();
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), periodicWriterTickMs);
    this.tick();
  }

  /** Stops scheduling; resolves once writes in flight are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.ready.length = 0;
    this.queued.clear();
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Queues due keys and starts writes up to the concurrency limit. */
  tick(): void {
    if (this.stopped) return;
    const now = this.now();
    for (const [key, due] of this.dueAtMs) {
      if (due > now || this.queued.has(key) || this.inFlight.has(key)) continue;
      if (this.options.paused?.(key)) {
        this.dueAtMs.set(key, due + this.options.intervalMs * Math.max(1, Math.ceil((now - due) / this.options.intervalMs)));
        continue;
      }
      this.queued.add(key);
      this.ready.push(key);
    }
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.options.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      this.queued.delete(key);
      if (!this.dueAtMs.has(key)) continue;
      this.inFlight.add(key);
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    let ok = true;
    try {
      await this.options.write(key);
      this.writes++;
    } catch (error) {
      ok = false;
      this.failures++;
      this.options.onError?.(key, error);
    }
    this.inFlight.delete(key);
    const due = this.dueAtMs.get(key);
    if (due !== undefined) {
      const now = this.now();
      const { intervalMs } = this.options;
      // Keep the key's place in the spread; one that fell behind (a slow server) starts again from now.
      const next = ok ? (due + intervalMs > now ? due + intervalMs : now + intervalMs) : now + Math.min(intervalMs, periodicWriterRetryMs);
      this.dueAtMs.set(key, next);
    }
    if (this.inFlight.size === 0) for (const waiter of this.idleWaiters.splice(0)) waiter();
    this.pump();
  }
}
