// Work queue rate limiters (client-go's workqueue.RateLimiter): how long an item waits before it
// is retried. The default controller limiter is the larger of a per-item exponential backoff and
// an overall token bucket, so one failing item backs off alone while a storm of failures is capped.
import { TokenBucket } from './token-bucket.js';

export interface RateLimiter<T> {
  /** Records a failure of item and returns how long it should wait. */
  whenMs(item: T): number;
  /** Failures recorded for item since it was last forgotten. */
  numRequeues(item: T): number;
  /** Clears item's failures (after it synced successfully). */
  forget(item: T): void;
}

/** base·2^failures, capped (client-go's ItemExponentialFailureRateLimiter). */
export class ItemExponentialRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(private readonly baseDelayMs: number, private readonly maxDelayMs: number) {}

  whenMs(item: T): number {
    const failures = this.failures.get(item) ?? 0;
    this.failures.set(item, failures + 1);
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** failures);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }
}

/** One token bucket for all items (client-go's BucketRateLimiter). */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  constructor(private readonly bucket: TokenBucket) {}

  whenMs(_item: T): number {
    return this.bucket.reserveDelayMs();
  }

  numRequeues(_item: T): number {
    return 0;
  }

  forget(_item: T): void {}
}

/** The slowest answer of several limiters (client-go's MaxOfRateLimiter). */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  whenMs(item: T): number {
    return Math.max(...this.limiters.map((limiter) => limiter.whenMs(item)));
  }

  numRequeues(item: T): number {
    return Math.max(...this.limiters.map((limiter) => limiter.numRequeues(item)));
  }

  forget(item: T): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }
}

export const controllerRetryBaseDelayMs = 5;
export const controllerRetryMaxDelayMs = 1_000_000;
export const controllerRetryQps = 10;
export const controllerRetryBurst = 100;

/** client-go's DefaultControllerRateLimiter: per item 5 ms → 1000 s, overall 10 qps with a burst of 100. */
export function defaultControllerRateLimiter<T>(): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialRateLimiter<T>(controllerRetryBaseDelayMs, controllerRetryMaxDelayMs),
    new BucketRateLimiter<T>(new TokenBucket({ qps: controllerRetryQps, burst: controllerRetryBurst })),
  );
}
