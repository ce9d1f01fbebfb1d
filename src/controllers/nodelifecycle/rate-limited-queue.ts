// Upstream's RateLimitedTimedQueue (pkg/controller/nodelifecycle/scheduler): the nodes of one zone
// waiting to be tainted NoExecute, handed out at most --node-eviction-rate per second so a
// network split does not evict a whole zone at once. Time comes from a Clock for unit tests.
import type { Clock } from '../common/clock.js';

/** Upstream's EvictionRateLimiterBurst. */
export const evictionRateLimiterBurst = 1;

/** A token bucket that never waits: a token now or no (flowcontrol's TryAccept). qps 0 accepts nothing. */
export class TryAcceptLimiter {
  private tokens: number;
  private lastMs: number;

  constructor(readonly qps: number, private readonly clock: Clock, private readonly burst = evictionRateLimiterBurst) {
    this.tokens = qps > 0 ? burst : 0;
    this.lastMs = clock.now();
  }

  tryAccept(): boolean {
    if (this.qps <= 0) return false;
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) / 1000) * this.qps);
    this.lastMs = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Empties the bucket, for a limiter swapped in while the old one was exhausted. */
  drain(): void {
    this.tokens = 0;
    this.lastMs = this.clock.now();
  }
}

export interface TimedValue {
  value: string;
  uid: string;
  addedAtMs: number;
  processAtMs: number;
}

/** Returns true when done with the value, or false and how long to wait before trying it again. */
export type TimedAction = (value: TimedValue) => { done: boolean; retryAfterMs?: number };

/** Upstream caps nothing here; a zone holds at most its nodes, so the size is bounded by the cluster. */
export class RateLimitedTimedQueue {
  private readonly items = new Map<string, TimedValue>();
  /**
   * Values handed out stay known until remove(), so a node already tainted is not queued again
   * on every monitor pass (upstream's UniqueQueue keeps them in its set).
   */
  private readonly known = new Set<string>();
  private limiter: TryAcceptLimiter;

  constructor(private readonly clock: Clock, qps: number) {
    this.limiter = new TryAcceptLimiter(qps, clock);
  }

  get qps(): number {
    return this.limiter.qps;
  }

  /** Adds a node unless already queued or handled since its last remove(); returns whether it was added. */
  add(value: string, uid: string): boolean {
    if (this.known.has(value)) return false;
    this.known.add(value);
    const now = this.clock.now();
    this.items.set(value, { value, uid, addedAtMs: now, processAtMs: now });
    return true;
  }

  remove(value: string): boolean {
    this.items.delete(value);
    return this.known.delete(value);
  }

  /** Whether the value waits to be handed out. */
  queued(value: string): boolean {
    return this.items.has(value);
  }

  /** Processes due values in order while the limiter allows. */
  try(action: TimedAction): void {
    for (;;) {
      const head = this.head();
      if (!head) return;
      if (!this.limiter.tryAccept()) return;
      const now = this.clock.now();
      if (now < head.processAtMs) return;
      const result = action(head);
      if (result.done) this.items.delete(head.value);
      else head.processAtMs = now + (result.retryAfterMs ?? 0) + 1;
    }
  }

  /** A new rate (zone state changed); an exhausted limiter stays exhausted, as upstream's SwapLimiter. */
  swapLimiter(qps: number): void {
    if (qps === this.limiter.qps) return;
    const exhausted = !this.limiter.tryAccept();
    const next = new TryAcceptLimiter(qps, this.clock);
    if (exhausted) next.drain();
    this.limiter = next;
  }

  private head(): TimedValue | undefined {
    let first: TimedValue | undefined;
    for (const item of this.items.values()) if (!first || item.processAtMs < first.processAtMs) first = item;
    return first;
  }
}
