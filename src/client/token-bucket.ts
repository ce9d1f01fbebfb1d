// A token bucket that hands out reservations (golang.org/x/time/rate's shape, which client-go's
// flowcontrol and workqueue limiters are built on): a caller that finds the bucket empty takes a
// token "on credit" and is told how long to wait, so waiters are served in arrival order.

export interface TokenBucketOptions {
  qps: number;
  burst: number;
  /** Reservations allowed to be waiting at once; beyond that the caller has a runaway loop. */
  maxPendingReservations?: number;
  now?: () => number;
}

export const defaultMaxPendingReservations = 100_000;

export class TokenBucket {
  private tokens: number;
  private lastRefillMs: number;
  private readonly now: () => number;
  private readonly maxPending: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.qps > 0) || !(options.burst >= 1)) throw new Error(`token bucket needs qps > 0 and burst >= 1, got ${options.qps}/${options.burst}`);
    this.now = options.now ?? (() => performance.now());
    this.tokens = options.burst;
    this.lastRefillMs = this.now();
    this.maxPending = options.maxPendingReservations ?? defaultMaxPendingReservations;
  }

  /** Takes one token and returns how long the caller must wait before using it (0 when one was free). */
  reserveDelayMs(): number {
    this.refill();
    if (-this.tokens >= this.maxPending) throw new Error(`token bucket: more than ${this.maxPending} callers waiting`);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.options.qps) * 1000;
  }

  /** Waits for a token. */
  async take(): Promise<void> {
    const delayMs = this.reserveDelayMs();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  private refill(): void {
    const nowMs = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((nowMs - this.lastRefillMs) / 1000) * this.options.qps);
    this.lastRefillMs = nowMs;
  }
}
